import {
  ExponentialBackoff,
  IBackoff,
  IBackoffFactory,
  IRetryBackoffContext,
  RetryPolicy,
  fullJitterGenerator,
  handleWhen,
  retry,
} from 'cockatiel';
import { RateLimitedError } from '../../errors/verigator.error';
import { describeVerigatorCall } from '../../events/describe-verigator-call';
import { toVerigatorEventError } from '../../events/verigator-event-error';
import { VerigatorEventPublisher } from '../../events/verigator-event-publisher';
import { CallDeadline } from './call-deadline';
import { mayRetry } from './operation-safety';
import { ResilientCall } from './resilient-call';

/** First back-off delay, in milliseconds; each retry doubles the ceiling (full jitter). */
const INITIAL_DELAY_MS = 100;
/** Longest back-off delay before `Retry-After` or the deadline clamp, in milliseconds. */
const MAX_DELAY_MS = 2000;
/** Time a retry must keep for its attempt, in milliseconds: no retry that could only time out. */
const MIN_ATTEMPT_MS = 100;

/**
 * The retry policy of one call: at most `retries` retries, only where `mayRetry` allows it for
 * the method (see operation-safety.ts), exponential back-off with full jitter, a `Retry-After`
 * honoured as the minimum wait, every wait clamped so that the attempt after it keeps
 * `MIN_ATTEMPT_MS` before the deadline, and no retry at all when that time is not left (after
 * the wait `Retry-After` asks for). Each retry is published as a `retry` event.
 */
export function createRetryPolicy(
  call: ResilientCall,
  events: VerigatorEventPublisher,
): RetryPolicy {
  const { method, path, retries, deadline } = call;
  const policy = retry(
    handleWhen(
      (error) =>
        mayRetry(method, error) && retryAfterMs(error) + MIN_ATTEMPT_MS <= deadline.remaining(),
    ),
    { maxAttempts: retries, backoff: new DeadlineBackoffFactory(deadline) },
  );
  policy.onRetry(({ attempt, delay, ...reason }) =>
    events.publish({
      type: 'retry',
      ...describeVerigatorCall(method, path),
      endpoint: call.lastEndpoint,
      attempt,
      delayMs: delay,
      error: toVerigatorEventError('error' in reason ? reason.error : undefined),
    }),
  );
  return policy;
}

/** Exponential back-off with full jitter, at least `Retry-After`, leaving time for the attempt. */
class DeadlineBackoffFactory implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  private readonly exponential = new ExponentialBackoff({
    generator: fullJitterGenerator,
    initialDelay: INITIAL_DELAY_MS,
    maxDelay: MAX_DELAY_MS,
  });

  constructor(private readonly deadline: CallDeadline) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    return this.step(this.exponential.next(), context);
  }

  private step(
    jitter: IBackoff<unknown>,
    context: IRetryBackoffContext<unknown>,
  ): IBackoff<IRetryBackoffContext<unknown>> {
    const wanted = Math.max(
      jitter.duration,
      'error' in context.result ? retryAfterMs(context.result.error) : 0,
    );
    return {
      duration: Math.max(0, Math.min(wanted, this.deadline.remaining() - MIN_ATTEMPT_MS)),
      next: (nextContext) => this.step(jitter.next(undefined), nextContext),
    };
  }
}

/** The wait a 429's `Retry-After` asks for, in milliseconds; 0 without one. */
function retryAfterMs(error: unknown): number {
  return error instanceof RateLimitedError && error.retryAfter !== undefined
    ? error.retryAfter * 1000
    : 0;
}
