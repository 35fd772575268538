/**
 * Where `TwoFactorGuard` keeps failure counters, send cooldowns and remembered successes.
 * Implementations shared by several app instances (Redis, a database) must make every method
 * atomic on its own, as the guard relies on that to send one SMS for concurrent requests and to
 * stop parallel guesses at `maxAttempts`. Keys are opaque strings (the guard's carry a Redis hash
 * tag, `{service:user}`, so one user's keys share a Cluster slot); values are short strings.
 *
 * A store that cannot answer (unreachable, too slow) rejects with `TwoFactorStoreError`, so that
 * the guard answers 503; it must never resolve with a guess. What `get` and `increment` resolve
 * with is typed `TwoFactorStore.Record` and `TwoFactorStore.Counter`. `RedisTwoFactorStore` is one for
 * several instances. Provide yours through the `twoFactor.store` module option.
 * @example
 * VerigatorModule.forRootAsync({
 *   inject: [Redis],
 *   useFactory: (redis: Redis) => ({ ...credentials, twoFactor: { store: new RedisTwoFactorStore(redis) } }),
 * })
 */
export interface TwoFactorStore {
  /** The live record under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<TwoFactorStore.Record | undefined>;
  /** Stores `value` under `key` for `ttlMs`, replacing any record (SET PX). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Stores `value` for `ttlMs` only when `key` holds no live record (SET NX PX).
   * @returns true when this call stored it.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * Adds one to the counter under `key`. A new (or expired) counter starts at 1 and lives
   * `ttlMs`; later increments keep its expiry, so the window is fixed from the first hit.
   */
  increment(key: string, ttlMs: number): Promise<TwoFactorStore.Counter>;
  /** Subtracts one from a live counter, keeping its expiry; does nothing when it is absent. */
  decrement(key: string): Promise<void>;
  /** Removes the record under `key`, if any. */
  delete(key: string): Promise<void>;
}

/** Injection token of the `TwoFactorStore` the guard uses. */
export const TwoFactorStore = Symbol('TwoFactorStore');

/** The types a `TwoFactorStore` implementation writes in its signatures. */
// eslint-disable-next-line @typescript-eslint/no-namespace -- types only: no code is emitted
export declare namespace TwoFactorStore {
  /** A live value and how long it has left (what `get` resolves with). */
  interface Record {
    value: string;
    /** Milliseconds until the record expires. */
    ttlMs: number;
  }

  /** A counter after an increment (what `increment` resolves with). */
  interface Counter {
    count: number;
    /** Milliseconds until the counter expires (its window ends). */
    ttlMs: number;
  }
}
