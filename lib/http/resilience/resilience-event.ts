import type { VerigatorHttpMethod } from '../verigator-http-client';

/** State of one endpoint's circuit breaker. */
export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** An endpoint's circuit breaker changed state. */
export interface CircuitStateEvent {
  type: 'circuit';
  endpoint: string;
  state: CircuitStateName;
}

/** A failed attempt is being retried after `delayMs`. */
export interface RetryEvent {
  type: 'retry';
  method: VerigatorHttpMethod;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The failed attempt's error `code`, e.g. `CONNECTION_ERROR`. */
  errorCode: string;
}

/** An endpoint could not be reached and the next one is tried. */
export interface FailoverEvent {
  type: 'failover';
  method: VerigatorHttpMethod;
  from: string;
  to: string;
  errorCode: string;
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
