import { VerigatorError, VerigatorErrorDetails } from './verigator.error';

/** Verigator answered 429: too many requests. */
export class RateLimitedError extends VerigatorError {
  override readonly code = 'RATE_LIMITED';
  /** Seconds to wait before trying again, from the `Retry-After` header, when it had one. */
  readonly retryAfter?: number;

  constructor(message: string, details: VerigatorErrorDetails & { retryAfter?: number } = {}) {
    super(message, details);
    this.retryAfter = details.retryAfter;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfter: this.retryAfter };
  }
}
