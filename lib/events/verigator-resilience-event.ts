import type { VerigatorCallDescription } from './describe-verigator-call';
import type { VerigatorEventError } from './verigator-event-error';

/** A failed attempt of a call that will be tried again after `delayMs`. */
export interface VerigatorRetryEvent extends VerigatorCallDescription {
  type: 'retry';
  /** The endpoint (base URL) the failed attempt went to. */
  endpoint: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** Milliseconds before the next attempt. */
  delayMs: number;
  error: VerigatorEventError;
  timestamp: number;
}

/** A call moving on to the next of `fallbackEndpoints` because `from` could not be reached. */
export interface VerigatorFailoverEvent extends VerigatorCallDescription {
  type: 'failover';
  from: string;
  to: string;
  error: VerigatorEventError;
  timestamp: number;
}

/**
 * An endpoint's circuit breaker changed state: `breakerOpened` (calls fail fast),
 * `breakerHalfOpened` (one trial call goes through), `breakerClosed` (calls flow again).
 */
export interface VerigatorBreakerEvent {
  type: 'breakerOpened' | 'breakerHalfOpened' | 'breakerClosed';
  endpoint: string;
  timestamp: number;
}

/**
 * What the client's resilience policies did, published on `verigator:client:resilience` and to
 * `onEvent`. Endpoints never carry credentials (the options refuse them).
 */
export type VerigatorResilienceEvent =
  VerigatorRetryEvent | VerigatorFailoverEvent | VerigatorBreakerEvent;
