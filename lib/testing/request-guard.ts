import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { SimulatorError } from './simulator-error';

/** The one path another site may open: the inbox page, by a link (a top-level navigation). */
const CROSS_SITE_PATH = '/';

/**
 * Refuses what a web page in the developer's browser could send to the simulator:
 *
 * - a `Host` that is not this machine (DNS rebinding): accepted are `localhost` and `*.localhost`,
 *   any IP address (a rebinding attack needs a host name), and the names in `allowedHosts`;
 * - an `Origin` other than the simulator's own (cross-site requests, body-less "simple" POSTs
 *   included; browsers always send `Origin` on those);
 * - a request the browser marks as sent by another site or origin (`Sec-Fetch-Site` other than
 *   `same-origin` or `none`), navigations and iframes included: the GETs of `<img>` tags or
 *   iframes carry no `Origin`, yet would use up faults or event streams. Only the inbox page
 *   itself may be opened from another site;
 * - a body not sent as `application/json` (the only kind a page cannot send cross-origin
 *   without a CORS preflight, which the simulator never allows).
 *
 * @param pathname the request path, without the query string.
 * @throws SimulatorError 403 for the host or origin, 415 for the content type.
 */
export function guardRequest(
  headers: IncomingHttpHeaders,
  pathname: string,
  rawBody: string,
  allowedHosts: ReadonlySet<string>,
): void {
  const host = headers.host;
  if (host !== undefined && !isAllowedHost(hostName(host), allowedHosts)) {
    throw new SimulatorError(
      403,
      'The Host header does not name this machine: use localhost or an IP address, or add the name to allowedHosts (--allowed-host)',
    );
  }
  const origin = headers.origin;
  const opensThePage = pathname === CROSS_SITE_PATH && headers['sec-fetch-mode'] === 'navigate';
  if (
    (origin !== undefined && !isSameOrigin(origin, host)) ||
    (isFromElsewhere(headers['sec-fetch-site']) && !opensThePage)
  ) {
    throw new SimulatorError(403, 'Cross-origin requests are not allowed');
  }
  if (rawBody !== '' && !isJsonContentType(headers['content-type'])) {
    throw new SimulatorError(
      415,
      'Request bodies must be sent with Content-Type: application/json',
    );
  }
}

/** Lower-cases a host name and drops a trailing dot, for comparison. */
export function normalizeHostName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  return normalizeHostName(colon === -1 ? host : host.slice(0, colon));
}

function isAllowedHost(name: string, allowedHosts: ReadonlySet<string>): boolean {
  return (
    isIP(name) !== 0 ||
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    allowedHosts.has(name)
  );
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) {
    return false;
  }
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

/**
 * Sent by the browser for another origin: anything but `same-origin` or `none` (typed in the
 * address bar, a bookmark). Another port of localhost is `same-site`, yet another origin.
 */
function isFromElsewhere(secFetchSite: string | string[] | undefined): boolean {
  return secFetchSite !== undefined && secFetchSite !== 'same-origin' && secFetchSite !== 'none';
}

function isJsonContentType(value: string | undefined): boolean {
  return value?.split(';')[0].trim().toLowerCase() === 'application/json';
}
