import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SampleRateLimit, SampleRateLimits } from './sample-settings';

const RATE_LIMIT_KIND = 'sample:rate-limit';
const reflector = new Reflector();

/** The sample's per-IP limits (the others are app-wide SMS budgets). */
type PerIpLimit = Exclude<keyof SampleRateLimits, 'sms' | 'smsPerPrefix'>;

/** Which of the sample's per-IP limits the routes of a controller or a method count against. */
export const RateLimit = (kind: PerIpLimit) => SetMetadata(RATE_LIMIT_KIND, kind);

/**
 * The limit of the route `context` runs: the nearest `@RateLimit()` (a method's beats its
 * class's), else `reads`. The throttler guard is global, so no route goes unlimited.
 */
export function rateLimitFor(limits: SampleRateLimits, context: ExecutionContext): SampleRateLimit {
  const kind = reflector.getAllAndOverride<PerIpLimit | undefined>(RATE_LIMIT_KIND, [
    context.getHandler(),
    context.getClass(),
  ]);
  return limits[kind ?? 'reads'];
}
