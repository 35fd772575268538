import {
  InMemoryRecoveryCodeStore,
  RecoveryCodeStore,
  RedisRecoveryCodeStore,
  RedisTwoFactorStore,
  TwoFactorStore,
} from 'nestjs-verigator';

/** Prefix of the sample's keys in Redis. */
export const SAMPLE_REDIS_PREFIX = 'nest-sample:';

/**
 * The sample's stores. With `redisUrl` (`REDIS_URL`), Redis for both, so that several instances
 * share lockouts, cooldowns, remembered successes, trusted devices and recovery codes (give that
 * Redis persistence: the codes are no cache). Without it, the module's in-memory `TwoFactorStore`
 * and an in-memory `RecoveryCodeStore`, allowed in production too because the sample keeps its
 * accounts in memory as well: codes and accounts go together at restart. Redis clients are
 * closed with the app.
 */
export function createSampleStores(redisUrl?: string): {
  twoFactor?: TwoFactorStore;
  recoveryCodes: RecoveryCodeStore;
} {
  if (!redisUrl)
    return { recoveryCodes: new InMemoryRecoveryCodeStore({ allowInProduction: true }) };
  return {
    twoFactor: RedisTwoFactorStore.connect(redisUrl, {
      prefix: SAMPLE_REDIS_PREFIX,
      hashUserIds: true,
    }),
    recoveryCodes: RedisRecoveryCodeStore.connect(redisUrl, { prefix: SAMPLE_REDIS_PREFIX }),
  };
}
