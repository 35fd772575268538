import { SimulatorError } from './simulator-error';

/**
 * A fault for the next matching API requests (never control routes). Give `status` (with an
 * optional `body` and `headers`), `delayMs`, `reset`, or a combination: the delay comes first,
 * then the reset or the canned response. A delay alone lets the request be served normally
 * afterwards.
 *
 * @example sim.injectFault({ method: 'PUT', path: '/v1/**', status: 503, times: 2 })
 * @example sim.injectFault({ status: 429, headers: { 'Retry-After': '30' } })
 */
export interface SimulatorFault {
  /** HTTP method to match, any case; all methods when absent. */
  method?: string;
  /**
   * The request path to match (without the query string), compared segment by segment after
   * percent-decoding: a literal segment, `*` for exactly one non-empty segment, or `**` (at most
   * once) for any number of segments; at most 1024 characters. Not a regular expression: the
   * characters `^$()[]{}|\+?` are refused, so that an old pattern fails loudly. E.g. `/v1/**`;
   * the README has more. Any path when absent.
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
  /**
   * Sends a string `body` this many times over (at most 64 MiB in all): an answer larger than a
   * fault may be, e.g. to test a client's size cap. @default 1
   */
  repeat?: number;
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
  repeat?: number;
  headers?: Record<string, string>;
  delayMs?: number;
  reset: boolean;
  probability?: number;
}

/** Most faults pending at once; more are refused (409) until some are used or cleared. */
export const MAX_FAULTS = 1000;

/** Most bytes of pending faults, counted as `GET /_simulator/faults` lists them. */
export const MAX_FAULT_BYTES = 1024 * 1024;

/** Most bytes a `repeat`ed body may have. */
const MAX_REPEATED_BODY_BYTES = 64 * 1024 * 1024;

/** Longest fault path pattern. */
const MAX_PATH_LENGTH = 1024;

/** Characters of regular expressions that a pattern refuses, so an old one fails loudly. */
const REGEX_CHARACTERS = /[\^$()[\]{}|\\+?]/;

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
  const { method, path, times, status, body, repeat, headers, delayMs, reset, probability } = fault;
  if (method !== undefined && (typeof method !== 'string' || method.trim() === '')) {
    throw new SimulatorError(422, 'method must be a non-empty string');
  }
  if (path !== undefined) {
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
  if (repeat !== undefined) {
    if (typeof body !== 'string') {
      throw new SimulatorError(422, 'repeat needs a string body to repeat');
    }
    if (!(Number.isInteger(repeat) && (repeat as number) >= 1)) {
      throw new SimulatorError(422, 'repeat must be a positive integer');
    }
    if (Buffer.byteLength(body) * (repeat as number) > MAX_REPEATED_BODY_BYTES) {
      throw new SimulatorError(422, 'repeat makes a body over 64 MiB');
    }
  }
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
    ...(repeat === undefined ? {} : { repeat: repeat as number }),
    headers: headers === undefined ? undefined : { ...(headers as Record<string, string>) },
    delayMs: delayMs as number | undefined,
    reset: reset === true,
    ...(probability === undefined ? {} : { probability: probability as number }),
  };
}

/** A pending fault, its path compiled, and its size as listed. */
interface QueuedFault {
  fault: ActiveFault;
  path?: PathPattern;
  bytes: number;
}

/**
 * Pending faults, consumed first-in first-out among those that match a request; at most
 * {@link MAX_FAULTS} of them and {@link MAX_FAULT_BYTES} in all.
 */
export class FaultQueue {
  private faults: QueuedFault[] = [];
  private bytes = 0;

  /** @param random draws the chance of faults with a `probability`, in [0, 1). */
  constructor(private readonly random: () => number = Math.random) {}

  /** @throws SimulatorError 409 when the queue is full, in count or in bytes. */
  add(fault: ActiveFault): void {
    const bytes = Buffer.byteLength(JSON.stringify(fault));
    if (this.faults.length >= MAX_FAULTS || this.bytes + bytes > MAX_FAULT_BYTES) {
      throw new SimulatorError(
        409,
        `The fault queue is full: at most ${MAX_FAULTS} faults and ${MAX_FAULT_BYTES} bytes in all ` +
          `are kept (${this.faults.length} pending, ${this.bytes} bytes; this one is ${bytes} bytes). ` +
          'Use times for repeats, or clear them with DELETE /_simulator/faults.',
      );
    }
    this.faults.push({
      fault,
      path: fault.path === undefined ? undefined : compilePath(fault.path),
      bytes,
    });
    this.bytes += bytes;
  }

  clear(): void {
    this.faults = [];
    this.bytes = 0;
  }

  list(): ActiveFault[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  /**
   * Finds the oldest fault matching the request (and, with a `probability`, drawn for it), counts
   * one use of it, and returns it.
   *
   * @param segments the request path's segments, percent-decoded.
   */
  take(method: string, segments: readonly string[]): ActiveFault | undefined {
    const index = this.faults.findIndex(
      ({ fault, path }) =>
        (fault.method === undefined || fault.method === method) &&
        (path === undefined || path.matches(segments)) &&
        (fault.probability === undefined || this.random() < fault.probability),
    );
    if (index === -1) {
      return undefined;
    }
    const queued = this.faults[index];
    queued.fault.remaining -= 1;
    if (queued.fault.remaining === 0) {
      this.faults.splice(index, 1);
      this.bytes -= queued.bytes;
    }
    return { ...queued.fault };
  }
}

/**
 * A fault path split at `/`: the literal segments before a `**` and after it. Matching compares
 * the two ends of the request path with them, so it costs at most one comparison per pattern
 * segment, whatever the pattern or the path.
 */
class PathPattern {
  constructor(
    private readonly head: readonly string[],
    /** The segments after `**`; undefined without `**` (the path then has exactly `head`). */
    private readonly tail?: readonly string[],
  ) {}

  matches(segments: readonly string[]): boolean {
    const { head, tail } = this;
    if (tail === undefined) {
      return (
        segments.length === head.length && head.every((p, i) => segmentMatches(p, segments[i]))
      );
    }
    const offset = segments.length - tail.length;
    return (
      offset >= head.length &&
      head.every((p, i) => segmentMatches(p, segments[i])) &&
      tail.every((p, i) => segmentMatches(p, segments[offset + i]))
    );
  }
}

/** `*` takes any one non-empty segment; anything else only itself. */
function segmentMatches(pattern: string, segment: string): boolean {
  return pattern === '*' ? segment !== '' : pattern === segment;
}

/** Checks and compiles a fault path. @throws SimulatorError 422 naming `path` */
function compilePath(path: unknown): PathPattern {
  const refuse = (reason: string): never => {
    throw new SimulatorError(422, `path ${reason}`);
  };
  if (typeof path !== 'string') {
    return refuse('must be a string, e.g. /v1/**');
  }
  if (path.length > MAX_PATH_LENGTH) {
    return refuse(`must be at most ${MAX_PATH_LENGTH} characters`);
  }
  if (!path.startsWith('/')) {
    return refuse('must start with / (e.g. /v1/** or /**/auth)');
  }
  if (REGEX_CHARACTERS.test(path)) {
    return refuse(
      'is an exact path with * (one segment) and ** (any number of segments) as wildcards, ' +
        'not a regular expression: /**/auth, not /auth$',
    );
  }
  const segments = path
    .slice(1)
    .split('/')
    .map((segment) => {
      if (segment !== '*' && segment !== '**' && segment.includes('*')) {
        return refuse('wildcards * and ** must be whole segments, e.g. /**/users/*');
      }
      try {
        return segment.includes('*') ? segment : decodeURIComponent(segment);
      } catch {
        return refuse('is not valid percent-encoding');
      }
    });
  const globstar = segments.indexOf('**');
  if (globstar === -1) {
    return new PathPattern(segments);
  }
  if (segments.indexOf('**', globstar + 1) !== -1) {
    return refuse('may hold only one ** (any number of segments)');
  }
  return new PathPattern(segments.slice(0, globstar), segments.slice(globstar + 1));
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
