import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { SimulatorError } from './simulator-error';

/** Largest request body accepted; bigger ones get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A response a route returns; `body` is serialised as JSON, or sent as is when `text` is set. */
export interface RouteResponse {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Readonly<Record<string, string>>;
}

/** An incoming request, read and split up for routing. */
export interface RouteRequest {
  method: string;
  /** The raw path, without the query string. */
  pathname: string;
  /** Path segments, percent-decoded one by one (an encoded `/` stays inside its segment). */
  segments: string[];
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/**
 * Splits a request target into path, decoded segments and query.
 *
 * @throws SimulatorError 400 when a segment is not valid percent-encoding.
 */
export function parseTarget(target: string): Pick<RouteRequest, 'pathname' | 'segments' | 'query'> {
  const queryStart = target.indexOf('?');
  const pathname = queryStart === -1 ? target : target.slice(0, queryStart);
  const search = queryStart === -1 ? '' : target.slice(queryStart + 1);
  let segments: string[];
  try {
    segments = pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw new SimulatorError(400, 'The path is not valid percent-encoding');
  }
  return { pathname, segments, query: parseQuery(search) };
}

/** Parses a query string; unlike URLSearchParams, `+` stays a plus sign (`?to=+3725555555`). */
function parseQuery(search: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const pair of search.split('&')) {
    if (pair === '') {
      continue;
    }
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    try {
      query.set(decodeURIComponent(name), decodeURIComponent(value));
    } catch {
      throw new SimulatorError(400, 'The query string is not valid percent-encoding');
    }
  }
  return query;
}

/**
 * Reads the whole body as UTF-8.
 *
 * @throws SimulatorError 413 beyond {@link MAX_BODY_BYTES}.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new SimulatorError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`, {
            Connection: 'close',
          }),
        );
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Headers on every response: no MIME sniffing, and no other site may embed or read a response
 * (no CORS headers are ever sent either).
 */
export const SAFETY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
};

/** Writes a route's response; JSON unless it carries `text`; the route's headers win. */
export function sendResponse(res: ServerResponse, response: RouteResponse): void {
  const headers: Record<string, string | number> = { ...SAFETY_HEADERS };
  let payload = '';
  if (response.status === 204 || response.status === 304) {
    payload = '';
  } else if (response.text !== undefined) {
    payload = response.text;
    headers['content-type'] = 'text/plain; charset=utf-8';
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] = 'application/json';
  }
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  headers['content-length'] = Buffer.byteLength(payload);
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** The `{"message": ...}` response for an error. */
export function errorResponse(error: SimulatorError): RouteResponse {
  return { status: error.status, body: { message: error.message }, headers: error.headers };
}

/** @throws SimulatorError 405 with an `Allow` header unless `method` is one of `allowed`. */
export function allowMethods(method: string, allowed: readonly string[]): void {
  if (!allowed.includes(method)) {
    throw new SimulatorError(405, `Method ${method} not allowed; use ${allowed.join(' or ')}`, {
      Allow: allowed.join(', '),
    });
  }
}
