import type { IncomingHttpHeaders } from 'node:http';

/** Characters of a request body the log keeps; longer bodies are cut (and kept as text). */
export const RECORDED_BODY_LIMIT = 2048;

/** Characters of the request target the log keeps. */
const RECORDED_PATH_LIMIT = 1024;

/** Characters of header names and values the log keeps per request, in the order received. */
const RECORDED_HEADERS_LIMIT = 2048;

/** Characters kept of one header value. */
const RECORDED_HEADER_VALUE_LIMIT = 256;

/**
 * An API request as received, listed by `GET /_simulator/requests`. Each entry is bounded (about
 * 5 KiB at most), so that large or many requests cannot fill the simulator's memory.
 */
export interface RecordedRequest {
  method: string;
  /** The request target as sent: path and query string (the first 1,024 characters). */
  path: string;
  /**
   * The body parsed as JSON, else the raw text; `null` when empty or not authenticated. A body
   * longer than 2,048 characters is kept as its first 2,048 characters, as text.
   */
  body: unknown;
  /** Lower-cased header names; `x-service-auth` is masked as `username:***`. */
  headers: Record<string, string | string[]>;
  /** Whether `X-Service-Auth` carried the right credentials (otherwise the body is not kept). */
  authenticated: boolean;
  /** Whether the path, the body or the headers were cut to fit the entry's bounds. */
  truncated: boolean;
}

/** Builds the log entry for a request, masking credentials and bounding its size. */
export function recordRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
  authenticated: boolean,
): RecordedRequest {
  let truncated = path.length > RECORDED_PATH_LIMIT;
  const copy: Record<string, string | string[]> = {};
  let budget = RECORDED_HEADERS_LIMIT;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) {
      continue;
    }
    let kept = maskHeader(name, Array.isArray(value) ? value.join(', ') : value);
    if (kept.length > RECORDED_HEADER_VALUE_LIMIT) {
      kept = detachedPrefix(kept, RECORDED_HEADER_VALUE_LIMIT);
      truncated = true;
    }
    budget -= name.length + kept.length;
    if (budget < 0) {
      truncated = true;
      break;
    }
    copy[name] = Array.isArray(value) && kept.length === value.join(', ').length ? value : kept;
  }
  let body: unknown = null;
  if (authenticated && rawBody.length > RECORDED_BODY_LIMIT) {
    body = detachedPrefix(rawBody, RECORDED_BODY_LIMIT);
    truncated = true;
  } else if (authenticated) {
    body = parseBody(rawBody);
  }
  return {
    method: method.slice(0, 32),
    path: detachedPrefix(path, RECORDED_PATH_LIMIT),
    body,
    headers: copy,
    authenticated,
    truncated,
  };
}

/**
 * The first `length` characters as a new string: V8 may implement `slice` as a view that keeps
 * the whole original (a 1 MiB body) alive.
 */
function detachedPrefix(text: string, length: number): string {
  return text.length <= length ? text : Buffer.from(text.slice(0, length), 'utf8').toString('utf8');
}

function maskHeader(name: string, value: string): string {
  if (name === 'authorization') {
    return '***';
  }
  if (name === 'x-service-auth') {
    const colon = value.indexOf(':');
    return colon === -1 ? '***' : `${value.slice(0, Math.min(colon, 64))}:***`;
  }
  return value;
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
