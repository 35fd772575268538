/**
 * The one deadline of a call: `timeout` bounds the whole call, retries, back-off waits and
 * failover included. One timer per call: its signal aborts whichever attempt is in flight.
 */
export class CallDeadline {
  /** Aborts when the deadline passes; given to every attempt of the call. */
  readonly signal: AbortSignal;
  private readonly endsAt: number;

  constructor(timeoutMs: number) {
    this.endsAt = Date.now() + timeoutMs;
    this.signal = AbortSignal.timeout(timeoutMs);
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.endsAt - Date.now());
  }
}
