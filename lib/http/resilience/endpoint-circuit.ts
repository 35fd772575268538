import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { CircuitOpenError } from '../../errors/verigator.error';
import { VerigatorEventPublisher } from '../../events/verigator-event-publisher';
import type { VerigatorBreakerState } from '../../events/verigator-call-event';
import { isOutage } from './operation-safety';

/** Settings of the per-endpoint circuit breaker. */
export interface CircuitBreakerSettings {
  /** Consecutive failures (connection, timeout, 5xx) that open the circuit. */
  threshold: number;
  /** Milliseconds the circuit stays open before one trial call is let through. */
  halfOpenAfter: number;
}

const STATE_NAMES: Record<CircuitState, VerigatorBreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/** The public event of each state a breaker moves to. */
const STATE_EVENTS = {
  closed: 'breakerClosed',
  open: 'breakerOpened',
  'half-open': 'breakerHalfOpened',
} as const;

/**
 * One endpoint with its own circuit breaker (cockatiel's `ConsecutiveBreaker`): after
 * `threshold` consecutive outage failures it opens and every call fails at once with
 * `CircuitOpenError`, nothing sent; after `halfOpenAfter` one trial call goes through, and its
 * outcome closes or reopens the circuit. While the trial runs, other calls fail fast too
 * rather than queue behind it. Without settings, calls pass straight through.
 */
export class EndpointCircuit {
  private readonly breaker?: CircuitBreakerPolicy;

  constructor(
    /** Base URL, without a trailing slash. */
    readonly endpoint: string,
    settings: CircuitBreakerSettings | false,
    events: VerigatorEventPublisher,
  ) {
    if (!settings) return;
    this.breaker = circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: settings.halfOpenAfter,
      breaker: new ConsecutiveBreaker(settings.threshold),
    });
    this.breaker.onStateChange((state) =>
      events.publish({ type: STATE_EVENTS[STATE_NAMES[state]], endpoint }),
    );
  }

  /** The breaker's state; always `closed` when the breaker is disabled. */
  get state(): VerigatorBreakerState {
    return this.breaker ? STATE_NAMES[this.breaker.state] : 'closed';
  }

  /**
   * Runs the call through the breaker.
   * @throws CircuitOpenError when the circuit is open or a trial is already running.
   */
  async execute<T>(call: () => Promise<T>): Promise<T> {
    if (!this.breaker) return call();
    if (this.breaker.state === CircuitState.HalfOpen) throw this.openError();
    let outcome: { value: T } | { error: unknown };
    try {
      // Any answer that is not an outage (a 4xx, say) proves the endpoint up: a success here.
      outcome = await this.breaker.execute(() =>
        call().then(
          (value) => ({ value }),
          (error: unknown) => {
            if (isOutage(error)) throw error;
            return { error };
          },
        ),
      );
    } catch (error) {
      throw error instanceof BrokenCircuitError ? this.openError() : error;
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  private openError(): CircuitOpenError {
    return new CircuitOpenError(`Verigator circuit open for ${this.endpoint}: not sent`, {
      cause: Object.assign(new Error('circuit open'), { code: 'CIRCUIT_OPEN' }),
    });
  }
}
