import type { VerigatorEventError } from './verigator-event-error';

/**
 * The library operation behind a Verigator call, e.g. `auth.initiate` (sends an SMS) or
 * `auth.verify` (spends an attempt); `unknown` for a path outside the Verigator API.
 */
export type VerigatorOperation =
  | 'services.create'
  | 'services.get'
  | 'services.delete'
  | 'users.create'
  | 'users.getAll'
  | 'users.get'
  | 'users.delete'
  | 'auth.initiate'
  | 'auth.verify'
  | 'unknown';

/** State of an endpoint's circuit breaker (`closed` when the breaker is off). */
export type VerigatorBreakerState = 'closed' | 'open' | 'half-open';

/**
 * One finished call to Verigator (retries and failover included), published on
 * `verigator:client:call` and to `onEvent`. Never carries a body (so no token nor phone number),
 * headers (so no credentials) nor an upstream message.
 */
export interface VerigatorCallEvent {
  type: 'call';
  operation: VerigatorOperation;
  /** HTTP method, e.g. `PUT`. */
  httpMethod: string;
  /** The path template, ids replaced: `/v1/service/service/{serviceId}/users/{userId}/auth`. */
  path: string;
  /** The Verigator service id in the path, if any. */
  serviceId?: string;
  /** The Verigator user id in the path, if any. */
  userId?: string;
  /** The endpoint (base URL) the last attempt went to, or would have. */
  endpoint: string;
  /** That endpoint's circuit breaker state when the call ended (`closed` when the breaker is off). */
  breakerState: VerigatorBreakerState;
  outcome: 'success' | 'failure';
  /** With `failure`: what failed. */
  error?: VerigatorEventError;
  /** Milliseconds from the call to its result. */
  latencyMs: number;
  /** When it finished, in epoch milliseconds. */
  timestamp: number;
}
