import { RedisTwoFactorStore, TwoFactorStore } from 'nestjs-verigator';

/** Prefix of the sample's keys in Redis. */
export const SAMPLE_REDIS_PREFIX = 'nest-sample:';

/**
 * The sample's `TwoFactorStore`: Redis at `redisUrl` when given (`REDIS_URL`), so that several
 * instances share lockouts, cooldowns and remembered successes; else `undefined`, which keeps the
 * module's in-memory default. The Redis client is closed with the app.
 */
export function createSampleTwoFactorStore(redisUrl?: string): TwoFactorStore | undefined {
  if (!redisUrl) return undefined;
  return RedisTwoFactorStore.connect(redisUrl, { prefix: SAMPLE_REDIS_PREFIX, hashUserIds: true });
}
