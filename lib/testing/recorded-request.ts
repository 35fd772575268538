import type { IncomingHttpHeaders } from 'node:http';

/** An API request as received, listed by `GET /_simulator/requests`. */
export interface RecordedRequest {
  method: string;
  /** The request target as sent: path and query string. */
  path: string;
  /** The body parsed as JSON, else the raw text; `null` when empty. */
  body: unknown;
  /** Lower-cased header names; `x-service-auth` is masked as `username:***`. */
  headers: Record<string, string | string[]>;
}

/** Builds the log entry for a request, masking credentials. */
export function recordRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
): RecordedRequest {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      copy[name] = value;
    }
  }
  const auth = copy['x-service-auth'];
  if (auth !== undefined) {
    copy['x-service-auth'] = maskServiceAuth(Array.isArray(auth) ? auth.join(', ') : auth);
  }
  if (copy.authorization !== undefined) {
    copy.authorization = '***';
  }
  return { method, path, body: parseBody(rawBody), headers: copy };
}

function maskServiceAuth(value: string): string {
  const colon = value.indexOf(':');
  return colon === -1 ? '***' : `${value.slice(0, colon)}:***`;
}

function parseBody(rawBody: string): unknown {
  if (rawBody === '') {
    return null;
  }
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}
