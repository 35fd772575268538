import { OnApplicationShutdown } from '@nestjs/common';
import { IoredisClient, createIoredisClient } from '../stores/load-ioredis';
import { RedisCommands } from '../stores/redis-commands';
import { twoFactorStoreKey } from '../stores/two-factor-store-keys';
import { RecoveryCodeStore } from './recovery-code.store';

/** Options of `RedisRecoveryCodeStore`. */
export interface RedisRecoveryCodeStoreOptions {
  /** Put before every key, e.g. to share one Redis among apps. @default '' */
  prefix?: string;
  /**
   * Milliseconds one store call may take; past it the call fails with `TwoFactorStoreError` and
   * the guard answers 503.
   * @default 500
   */
  commandTimeout?: number;
}

/** `RedisRecoveryCodeStoreOptions` plus the ioredis `RedisOptions` of the client `connect()` creates. */
export interface RedisRecoveryCodeStoreConnectOptions extends RedisRecoveryCodeStoreOptions {
  /** ioredis `RedisOptions` (typed `object` so these declarations compile without `ioredis`). */
  redis?: object;
}

/** DEL then SADD: one user's set replaced in one atomic step (one key, so Cluster-safe). */
const REPLACE = `
redis.call('DEL', KEYS[1])
if #ARGV > 0 then redis.call('SADD', KEYS[1], unpack(ARGV)) end
return 0`;

type ReplaceCommand = {
  verigatorRecoveryCodesReplace(key: string, ...hashes: string[]): Promise<unknown>;
};

/**
 * A `RecoveryCodeStore` on Redis (ioredis `Redis` or `Cluster`), shared by every app instance.
 * One SET per user, `verigator-2fa:recovery:{<serviceId>:<userId>}` (the hash tag keeps it in
 * one Cluster slot), holding the keyed hashes: SREM is the atomic consume, a Lua script the
 * atomic replace. Keys have no TTL: codes last until used or replaced.
 *
 * Redis must keep them: enable persistence (`appendonly yes`, or RDB snapshots, accepting that
 * codes made since the last snapshot are lost in a crash) and a `maxmemory-policy` that evicts
 * nothing (`noeviction`) or only keys with a TTL (`volatile-*`). Fails with `TwoFactorStoreError`
 * like `RedisTwoFactorStore`.
 * @example
 * twoFactor: {
 *   recoveryCodes: {
 *     store: new RedisRecoveryCodeStore(redis),
 *     secrets: { v1: process.env.RECOVERY_CODE_SECRET! },
 *   },
 * }
 */
export class RedisRecoveryCodeStore implements RecoveryCodeStore, OnApplicationShutdown {
  private readonly prefix: string;
  private readonly commands: RedisCommands;
  private readonly script: ReplaceCommand;
  private ownsClient = false;

  constructor(
    /** The ioredis client (`Redis` or `Cluster`) the store sends its commands through. */
    readonly client: IoredisClient,
    options: RedisRecoveryCodeStoreOptions = {},
  ) {
    const { prefix = '', commandTimeout = 500 } = options;
    if (typeof prefix !== 'string') {
      throw new TypeError('RedisRecoveryCodeStore prefix must be a string');
    }
    this.prefix = prefix;
    this.commands = new RedisCommands(client, commandTimeout, 'RedisRecoveryCodeStore');
    client.defineCommand('verigatorRecoveryCodesReplace', { numberOfKeys: 1, lua: REPLACE });
    this.script = client as unknown as ReplaceCommand;
  }

  /**
   * Creates a store on a new ioredis client for `url` (`redis://…`), closed at application
   * shutdown. Loads `ioredis` only now.
   * @throws Error naming the package to install when `ioredis` is missing.
   */
  static connect(
    url: string,
    options: RedisRecoveryCodeStoreConnectOptions = {},
  ): RedisRecoveryCodeStore {
    const { redis, ...storeOptions } = options;
    const client = createIoredisClient(url, redis, 'RedisRecoveryCodeStore.connect()');
    const store = new RedisRecoveryCodeStore(client, storeOptions);
    store.ownsClient = true;
    return store;
  }

  async replace(owner: RecoveryCodeStore.Owner, hashes: readonly string[]): Promise<void> {
    await this.commands.run('REPLACE', () =>
      this.script.verigatorRecoveryCodesReplace(this.keyOf(owner), ...hashes),
    );
  }

  async consume(owner: RecoveryCodeStore.Owner, candidates: readonly string[]): Promise<boolean> {
    if (candidates.length === 0) return false;
    const removed = await this.commands.run('SREM', () =>
      this.client.srem(this.keyOf(owner), ...candidates),
    );
    return removed > 0;
  }

  count(owner: RecoveryCodeStore.Owner): Promise<number> {
    return this.commands.run('SCARD', () => this.client.scard(this.keyOf(owner)));
  }

  list(owner: RecoveryCodeStore.Owner): Promise<string[]> {
    return this.commands.run('SMEMBERS', () => this.client.smembers(this.keyOf(owner)));
  }

  async clear(owner: RecoveryCodeStore.Owner): Promise<void> {
    await this.commands.run('DEL', () => this.client.del(this.keyOf(owner)));
  }

  /** Closes the client when `connect()` created it; a client given to the store stays open. */
  async onApplicationShutdown(): Promise<void> {
    if (this.ownsClient) this.client.disconnect();
  }

  private keyOf(owner: RecoveryCodeStore.Owner): string {
    return this.prefix + twoFactorStoreKey('recovery', owner.serviceId, owner.userId);
  }
}
