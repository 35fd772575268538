import { RE2JS } from 're2js';
import { SimulatorError } from './simulator-error';

/**
 * A fault for the next matching API requests (never control routes). Give `status` (with an
 * optional `body` and `headers`), `delayMs`, `reset`, or a combination: the delay comes first,
 * then the reset or the canned response. A delay alone lets the request be served normally
 * afterwards.
 *
 * @example sim.injectFault({ method: 'PUT', path: '/auth$', status: 503, times: 2 })
 * @example sim.injectFault({ status: 429, headers: { 'Retry-After': '30' } })
 */
export interface SimulatorFault {
  /** HTTP method to match, any case; all methods when absent. */
  method?: string;
  /**
   * Regular expression searched in the request path (without the query string), in RE2 syntax:
   * matched in linear time, so no pattern can stall the simulator; lookaround and
   * backreferences are refused.
   */
  path?: string;
  /** How many matching requests it applies to. @default 1 */
  times?: number;
  /** Status to answer with instead of serving the request. @default 500 when only `body` is given */
  status?: number;
  /**
   * Body for `status`: a string is sent as is (`text/plain`), anything else as JSON.
   * @default {"message": "Injected fault (status N)"}
   */
  body?: unknown;
  /** Response headers for `status`, e.g. `{ "Retry-After": "30" }`; values are strings. */
  headers?: Record<string, string>;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /**
   * Chance, from 0 (exclusive) to 1, that a matching request gets the fault; the others are served
   * normally and do not count towards `times`. With `times` large, a steady fault rate.
   * @default 1
   */
  probability?: number;
}

/** A validated fault with its remaining count, as listed by `GET /_simulator/faults`. */
export interface ActiveFault {
  method?: string;
  path?: string;
  remaining: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  reset: boolean;
  probability?: number;
}

/** Header names a fault may not set: the simulator frames the response itself. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

/** An RFC 9110 token, as header names must be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Validates a fault as given by a user.
 *
 * @throws SimulatorError 422 naming the offending field.
 */
export function normalizeFault(input: unknown): ActiveFault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SimulatorError(422, 'A fault must be a JSON object');
  }
  const fault = input as Record<string, unknown>;
  const { method, path, times, status, body, headers, delayMs, reset, probability } = fault;
  if (method !== undefined && (typeof method !== 'string' || method.trim() === '')) {
    throw new SimulatorError(422, 'method must be a non-empty string');
  }
  if (path !== undefined) {
    if (typeof path !== 'string') {
      throw new SimulatorError(422, 'path must be a regular expression string');
    }
    compilePath(path);
  }
  if (times !== undefined && !(Number.isInteger(times) && (times as number) >= 1)) {
    throw new SimulatorError(422, 'times must be a positive integer');
  }
  if (
    status !== undefined &&
    !(Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599)
  ) {
    throw new SimulatorError(422, 'status must be an integer from 200 to 599');
  }
  if (delayMs !== undefined && !(Number.isInteger(delayMs) && (delayMs as number) >= 0)) {
    throw new SimulatorError(422, 'delayMs must be a non-negative integer');
  }
  if (reset !== undefined && typeof reset !== 'boolean') {
    throw new SimulatorError(422, 'reset must be a boolean');
  }
  if (
    probability !== undefined &&
    !(typeof probability === 'number' && probability > 0 && probability <= 1)
  ) {
    throw new SimulatorError(422, 'probability must be a number above 0 and at most 1');
  }
  const hasBody = 'body' in fault && body !== undefined;
  if (status === undefined && !hasBody && delayMs === undefined && reset !== true) {
    throw new SimulatorError(422, 'A fault needs at least one of status, body, delayMs or reset');
  }
  if (headers !== undefined) {
    validateHeaders(headers);
    if (status === undefined && !hasBody) {
      throw new SimulatorError(422, 'headers need a status (or body) to be sent with');
    }
  }
  return {
    method: method === undefined ? undefined : (method as string).toUpperCase(),
    path: path as string | undefined,
    remaining: (times as number | undefined) ?? 1,
    status: (status as number | undefined) ?? (hasBody ? 500 : undefined),
    body,
    headers: headers === undefined ? undefined : { ...(headers as Record<string, string>) },
    delayMs: delayMs as number | undefined,
    reset: reset === true,
    ...(probability === undefined ? {} : { probability: probability as number }),
  };
}

/** Pending faults, consumed first-in first-out among those that match a request. */
export class FaultQueue {
  private faults: { fault: ActiveFault; pattern?: RE2JS }[] = [];

  /** @param random draws the chance of faults with a `probability`, in [0, 1). */
  constructor(private readonly random: () => number = Math.random) {}

  add(fault: ActiveFault): void {
    this.faults.push({
      fault,
      pattern: fault.path === undefined ? undefined : compilePath(fault.path),
    });
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  /**
   * Finds the oldest fault matching the request (and, with a `probability`, drawn for it), counts
   * one use of it, and returns it.
   */
  take(method: string, path: string): ActiveFault | undefined {
    const index = this.faults.findIndex(
      ({ fault, pattern }) =>
        (fault.method === undefined || fault.method === method) &&
        (pattern === undefined || pattern.test(path)) &&
        (fault.probability === undefined || this.random() < fault.probability),
    );
    if (index === -1) {
      return undefined;
    }
    const { fault } = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining === 0) {
      this.faults.splice(index, 1);
    }
    return { ...fault };
  }
}

/** Compiles a fault path with RE2 (linear-time matching). @throws SimulatorError 422 */
function compilePath(path: string): RE2JS {
  try {
    return RE2JS.compile(path);
  } catch {
    throw new SimulatorError(
      422,
      'path is not a valid RE2 regular expression (lookaround and backreferences are not supported)',
    );
  }
}

/** @throws SimulatorError 422 naming `headers` unless it maps header names to safe strings. */
function validateHeaders(headers: unknown): void {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new SimulatorError(422, 'headers must be an object of header names to string values');
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || FRAMING_HEADERS.has(name.toLowerCase())) {
      throw new SimulatorError(
        422,
        `headers: ${JSON.stringify(name)} is not a header name a fault may set`,
      );
    }
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new SimulatorError(422, `headers: the value of ${name} must be a string on one line`);
    }
  }
}
