import {
  CircuitOpenError,
  ConnectionError,
  RequestTimeoutError,
} from '../../errors/verigator.error';
import type { VerigatorHttpMethod } from './resilient-call';

/*
 * What is safe to repeat: the rules every retry and failover decision follows.
 *
 * 1. Reads (GET) and deletes (DELETE) are idempotent: doing them twice leaves Verigator as once.
 *    They are retried on a connection failure, a timeout that left time on the call's deadline
 *    (the operating system's connect timeout, say), and the statuses that say "try again":
 *    429, 502, 503 and 504. A `Retry-After` is honoured when it fits in the deadline.
 * 2. Everything else is not: `initiate` (POST .../auth) texts a code, `verify` (PUT .../auth)
 *    spends one of the user's attempts, creates (POST) make a resource. These are repeated only
 *    when the request provably never reached Verigator: the connection was refused, the host
 *    name did not resolve, the network was unreachable, or our own circuit breaker was open.
 *    Never after a timeout, a reset (the request may have been sent and processed), nor any
 *    HTTP status (Verigator saw it).
 * 3. Failover to the next endpoint follows the same rules: any connection failure for
 *    idempotent calls, only "never sent" for the others.
 * 4. An open circuit moves on to the next endpoint but is not retried on the same endpoints:
 *    its cool-down is longer than a call's deadline, so it would only fail again.
 * 5. An outage (what opens an endpoint's circuit, and the only failure `failOpen` lets a request
 *    through on) is what the service did to a real call, never what one request's content can
 *    provoke: no connection, no answer within the module's `timeout`, or a gateway status (502,
 *    503, 504). A 500 or a garbled answer concerns that one request, and a 4xx proves the
 *    service up. Health probes, with their own shorter timeout, never pass through a breaker.
 */

/** Socket error codes that prove the request was never sent: no connection was made. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Statuses that say the service, not the request, failed: a gateway or availability answer. */
const OUTAGE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Statuses an idempotent call is retried on. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, ...OUTAGE_STATUSES]);

/** True for GET and DELETE: calls that may be repeated whatever happened to the first. */
export function isIdempotent(method: VerigatorHttpMethod): boolean {
  return method === 'GET' || method === 'DELETE';
}

/** True when the error proves the request never reached Verigator (rule 2). */
export function provablyNeverSent(error: unknown): boolean {
  if (error instanceof CircuitOpenError) return true;
  return error instanceof ConnectionError && NEVER_SENT_CODES.has(transportCode(error) ?? '');
}

/** True when the next endpoint may be tried after this error (rule 3). */
export function mayFailOver(method: VerigatorHttpMethod, error: unknown): boolean {
  return isIdempotent(method) ? error instanceof ConnectionError : provablyNeverSent(error);
}

/** True when the call may be retried after this error (rules 1, 2 and 4). */
export function mayRetry(method: VerigatorHttpMethod, error: unknown): boolean {
  if (error instanceof CircuitOpenError) return false;
  if (!isIdempotent(method)) return provablyNeverSent(error);
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return true;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && RETRYABLE_STATUSES.has(status);
}

/**
 * True when the error says the endpoint is failing (rule 5): it counts toward opening the
 * endpoint's breaker, and it is what `failOpen` applies to.
 */
export function isOutage(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return true;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && OUTAGE_STATUSES.has(status);
}

/** The socket or axios error code kept on a transport error's `cause`. */
function transportCode(error: Error): string | undefined {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when a call failed without telling whether Verigator acted on it: a timeout, or a
 * connection lost after it was made (reset). Such a verify may have spent the code, such an
 * initiate may have sent an SMS. Not when it provably never left (rule 2).
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (!(error instanceof RequestTimeoutError || error instanceof ConnectionError)) return false;
  return !provablyNeverSent(error);
}
