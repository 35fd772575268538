import { SimulatorError } from './simulator-error';

/**
 * A fault for the next matching API requests (never control routes). Give `status` (with an
 * optional `body`), `delayMs`, `reset`, or a combination: the delay comes first, then the reset
 * or the canned response. A delay alone lets the request be served normally afterwards.
 *
 * @example sim.injectFault({ method: 'PUT', path: '/auth$', status: 503, times: 2 })
 */
export interface SimulatorFault {
  /** HTTP method to match, any case; all methods when absent. */
  method?: string;
  /** Regular expression tested against the request path (without the query string). */
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
  delayMs?: number;
  reset: boolean;
  probability?: number;
}

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
  const { method, path, times, status, body, delayMs, reset, probability } = fault;
  if (method !== undefined && (typeof method !== 'string' || method.trim() === '')) {
    throw new SimulatorError(422, 'method must be a non-empty string');
  }
  if (path !== undefined) {
    if (typeof path !== 'string') {
      throw new SimulatorError(422, 'path must be a regular expression string');
    }
    try {
      new RegExp(path);
    } catch {
      throw new SimulatorError(422, 'path is not a valid regular expression');
    }
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
  return {
    method: method === undefined ? undefined : (method as string).toUpperCase(),
    path: path as string | undefined,
    remaining: (times as number | undefined) ?? 1,
    status: (status as number | undefined) ?? (hasBody ? 500 : undefined),
    body,
    delayMs: delayMs as number | undefined,
    reset: reset === true,
    ...(probability === undefined ? {} : { probability: probability as number }),
  };
}

/** Pending faults, consumed first-in first-out among those that match a request. */
export class FaultQueue {
  private faults: { fault: ActiveFault; pattern?: RegExp }[] = [];

  /** @param random draws the chance of faults with a `probability`, in [0, 1). */
  constructor(private readonly random: () => number = Math.random) {}

  add(fault: ActiveFault): void {
    this.faults.push({
      fault,
      pattern: fault.path === undefined ? undefined : new RegExp(fault.path),
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
