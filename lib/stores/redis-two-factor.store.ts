import { OnApplicationShutdown } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { IoredisClient, createIoredisClient } from './load-ioredis';
import { RedisCommands } from './redis-commands';
import { REDIS_TWO_FACTOR_SCRIPTS, RedisTwoFactorScript } from './redis-two-factor.scripts';
import { TwoFactorStore } from './two-factor.store';

/** Options of `RedisTwoFactorStore`. */
export interface RedisTwoFactorStoreOptions {
  /**
   * Put before every key, e.g. to share one Redis among apps. The guard's keys already start
   * with `verigator-2fa:`.
   * @default ''
   */
  prefix?: string;
  /**
   * Milliseconds one store call may take; past it the call fails with `TwoFactorStoreError` and
   * the guard answers 503, so a slow Redis cannot hold requests.
   * @default 500
   */
  commandTimeout?: number;
  /**
   * Store a SHA-256 of the user part of each key (service, user id, session key) instead of the
   * ids themselves; `{ secret }` uses HMAC-SHA-256 with it, so ids cannot be found by guessing.
   * @default false
   */
  hashUserIds?: boolean | { secret: string };
}

/** `RedisTwoFactorStoreOptions` plus the options of the client `connect()` creates. */
export interface RedisTwoFactorStoreConnectOptions extends RedisTwoFactorStoreOptions {
  /**
   * ioredis `RedisOptions`, merged over the store's (`autoResendUnfulfilledCommands: false`).
   * Typed `object` so that these declarations compile where `ioredis` is not installed.
   */
  redis?: object;
}

/** `head{tag}tail`: the Redis Cluster hash tag the guard puts around the user part of a key. */
const TAGGED_KEY = /^([^{]*)\{([^}]*)\}(.*)$/;

type ScriptCommands = Record<
  RedisTwoFactorScript,
  (key: string, ...args: unknown[]) => Promise<unknown>
>;

/**
 * A `TwoFactorStore` on Redis (ioredis `Redis` or `Cluster`), so that every app instance shares
 * the same counters, cooldowns and remembered successes.
 *
 * - Atomic and one round trip per call: `SET PX` / `SET NX PX`, `DEL`, and Lua scripts (EVALSHA)
 *   for GET + PTTL, increment-with-expiry and decrement-if-live. Every key has a TTL.
 * - The guard's keys carry a hash tag (`verigator-2fa:attempts:{service:user}`), so one user's
 *   keys share a Cluster slot. Only short values are stored (a method, a count, a time): never a
 *   phone number or a token. `hashUserIds` hides the ids too.
 * - Fails fast with `TwoFactorStoreError` when the client is not connected (nothing is queued)
 *   or a call exceeds `commandTimeout`; the guard then answers 503, and recovers by itself once
 *   ioredis has reconnected.
 *
 * It uses the client it is given and never closes it; `connect()` creates (and closes) its own.
 * @example
 * VerigatorModule.forRootAsync({
 *   inject: [Redis],
 *   useFactory: (redis: Redis) => ({
 *     ...credentials,
 *     twoFactor: { store: new RedisTwoFactorStore(redis, { prefix: 'my-app:' }) },
 *   }),
 * })
 */
export class RedisTwoFactorStore implements TwoFactorStore, OnApplicationShutdown {
  private readonly scripts: ScriptCommands;
  private readonly prefix: string;
  private readonly commands: RedisCommands;
  private readonly hash?: (text: string) => string;
  private ownsClient = false;

  constructor(
    /** The ioredis client (`Redis` or `Cluster`) the store sends its commands through. */
    readonly client: IoredisClient,
    options: RedisTwoFactorStoreOptions = {},
  ) {
    const { prefix = '', commandTimeout = 500, hashUserIds = false } = options;
    if (typeof prefix !== 'string')
      throw new TypeError('RedisTwoFactorStore prefix must be a string');
    this.commands = new RedisCommands(client, commandTimeout, 'RedisTwoFactorStore');
    this.prefix = prefix;
    this.hash = hasher(hashUserIds);
    for (const [name, lua] of Object.entries(REDIS_TWO_FACTOR_SCRIPTS)) {
      client.defineCommand(name, { numberOfKeys: 1, lua });
    }
    this.scripts = client as unknown as ScriptCommands;
  }

  /**
   * Creates a store on a new ioredis client for `url` (`redis://…`), closed at application
   * shutdown. Loads `ioredis` only now.
   * @throws Error naming the package to install when `ioredis` is missing.
   */
  static connect(
    url: string,
    options: RedisTwoFactorStoreConnectOptions = {},
  ): RedisTwoFactorStore {
    const { redis, ...storeOptions } = options;
    const client = createIoredisClient(url, redis, 'RedisTwoFactorStore.connect()');
    const store = new RedisTwoFactorStore(client, storeOptions);
    store.ownsClient = true;
    return store;
  }

  async get(key: string): Promise<TwoFactorStore.Record | undefined> {
    const [value, ttlMs] = (await this.run('GET', () =>
      this.scripts.verigatorTwoFactorGet(this.toRedisKey(key)),
    )) as [string | null, number];
    return value === null || ttlMs < 0 ? undefined : { value, ttlMs };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run('SET', () => this.client.set(this.toRedisKey(key), value, 'PX', toPx(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const reply = await this.run('SET NX', () =>
      this.client.set(this.toRedisKey(key), value, 'PX', toPx(ttlMs), 'NX'),
    );
    return reply === 'OK';
  }

  async increment(key: string, ttlMs: number): Promise<TwoFactorStore.Counter> {
    const [count, ttl] = (await this.run('INCR', () =>
      this.scripts.verigatorTwoFactorIncrement(this.toRedisKey(key), toPx(ttlMs)),
    )) as [number, number];
    return { count, ttlMs: ttl };
  }

  async decrement(key: string): Promise<void> {
    await this.run('DECR', () => this.scripts.verigatorTwoFactorDecrement(this.toRedisKey(key)));
  }

  async delete(key: string): Promise<void> {
    await this.run('DEL', () => this.client.del(this.toRedisKey(key)));
  }

  /** Closes the client when `connect()` created it; a client given to the store stays open. */
  async onApplicationShutdown(): Promise<void> {
    if (this.ownsClient) this.client.disconnect();
  }

  /** The Redis key of a store key: prefixed, and with the user part hashed when asked. */
  private toRedisKey(key: string): string {
    if (!this.hash) return this.prefix + key;
    const match = TAGGED_KEY.exec(key);
    if (!match) return this.prefix + this.hash(key);
    const [, head, tag, tail] = match;
    return `${this.prefix}${head}{${this.hash(tag)}}${tail && `:${this.hash(tail)}`}`;
  }

  private run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    return this.commands.run(operation, command);
  }
}

/** Redis wants whole, positive milliseconds. */
function toPx(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}

function hasher(
  option: RedisTwoFactorStoreOptions['hashUserIds'],
): ((text: string) => string) | undefined {
  if (!option) return undefined;
  if (option === true) return (text) => createHash('sha256').update(text).digest('base64url');
  if (typeof option.secret !== 'string' || option.secret === '') {
    throw new TypeError('RedisTwoFactorStore hashUserIds.secret must be a non-empty string');
  }
  const { secret } = option;
  return (text) => createHmac('sha256', secret).update(text).digest('base64url');
}
