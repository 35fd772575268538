import type { VerigatorHttpMethod } from '../verigator-http-client';

/** State of one endpoint's circuit breaker. */
export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** An endpoint's circuit breaker changed state. */
export interface CircuitStateEvent {
  type: 'circuit';
  endpoint: string;
  state: CircuitStateName;
}

/** A failed attempt of a call is being retried after `delayMs`. */
export interface RetryEvent {
  type: 'retry';
  method: VerigatorHttpMethod;
  /** The request path, ids included (map it before publishing it anywhere). */
  path: string;
  /** The endpoint the failed attempt went to last. */
  endpoint: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  /** What the failed attempt threw: a `VerigatorError`. */
  error: unknown;
}

/** An endpoint could not be reached and the call moves on to the next one. */
export interface FailoverEvent {
  type: 'failover';
  method: VerigatorHttpMethod;
  /** The request path, ids included (map it before publishing it anywhere). */
  path: string;
  from: string;
  to: string;
  /** Why `from` was given up: a `VerigatorError`. */
  error: unknown;
}

/** What the resilience policies report: breaker state changes, retries and failovers. */
export type ResilienceEvent = CircuitStateEvent | RetryEvent | FailoverEvent;

/** Receives resilience events; must not throw (a throwing listener is ignored). */
export type ResilienceListener = (event: ResilienceEvent) => void;

/** A set of listeners the policies report to (the hook the audit trail subscribes through). */
export class ResilienceEvents {
  private readonly listeners = new Set<ResilienceListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ResilienceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reports an event to every listener. */
  emit(event: ResilienceEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must never change the outcome of a Verigator call.
      }
    }
  }
}
