/**
 * The Lua scripts of `RedisTwoFactorStore`: each runs atomically in Redis and takes one round
 * trip (EVALSHA). Each touches only `KEYS[1]`, so they also run on Redis Cluster.
 */
export const REDIS_TWO_FACTOR_SCRIPTS = {
  /** `[value, pttl]`: GET and PTTL in one round trip (a nil value when absent). */
  verigatorTwoFactorGet: `
local value = redis.call('GET', KEYS[1])
if not value then return {false, -2} end
return {value, redis.call('PTTL', KEYS[1])}`,
  /** `[count, pttl]`: INCR, and PEXPIRE ARGV[1] when the counter is new (fixed window). */
  verigatorTwoFactorIncrement: `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`,
  /** DECR a live positive counter, keeping its expiry; nothing when absent or at zero. */
  verigatorTwoFactorDecrement: `
local count = tonumber(redis.call('GET', KEYS[1]))
if count and count > 0 then redis.call('DECR', KEYS[1]) end
return 0`,
} as const;

/** The name of one of `REDIS_TWO_FACTOR_SCRIPTS`, as defined on the client. */
export type RedisTwoFactorScript = keyof typeof REDIS_TWO_FACTOR_SCRIPTS;
