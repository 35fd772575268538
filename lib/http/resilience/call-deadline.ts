/**
 * The one deadline of a call: `timeout` bounds the whole call, retries, back-off waits and
 * failover included. One timer per call: its signal aborts whichever attempt is in flight.
 */
export class CallDeadline {
  /** Aborts when the deadline passes; given to every attempt of the call. */
  readonly signal: AbortSignal;
  private readonly endsAt: number;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    this.endsAt = Date.now() + timeoutMs;
    // Not AbortSignal.timeout(): its timer cannot be cleared, so every finished call would keep
    // a timer and a signal alive until its deadline, and it costs more to create (BENCHMARKS.md).
    const controller = new AbortController();
    this.signal = controller.signal;
    this.timer = setTimeout(() => controller.abort(), timeoutMs).unref();
  }

  /** Clears the timer once the call is over. */
  end(): void {
    clearTimeout(this.timer);
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.endsAt - Date.now());
  }
}
