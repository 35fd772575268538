/**
 * Where `RecoveryCodesService` and `TwoFactorGuard` keep a user's recovery codes, as keyed hashes
 * (`<version>:<base64url HMAC-SHA-256>`, at most 100 per user): never the codes themselves.
 *
 * Unlike `TwoFactorStore`, this is no cache: a record lives until it is consumed, replaced or
 * cleared, and losing it locks out the users who rely on their codes. Keep it durable (a
 * database, or Redis with persistence) and never evict. Every method must be atomic on its own,
 * across all app instances: `consume` above all, as it is what makes a code single-use.
 *
 * A store that cannot answer rejects with `TwoFactorStoreError`, so that the guard answers 503.
 * `RedisRecoveryCodeStore` is one for several instances; docs/stores.md shows one on SQL.
 * Provide yours through the `twoFactor.recoveryCodes.store` module option. Its methods take the
 * owner of the codes as a `RecoveryCodeStore.Owner`.
 */
export interface RecoveryCodeStore {
  /** Replaces every hash `owner` holds with `hashes`, in one step (none may survive). */
  replace(owner: RecoveryCodeStore.Owner, hashes: readonly string[]): Promise<void>;
  /**
   * Removes whichever of `candidates` `owner` holds (the hashes of one typed code under each
   * secret version), in one step.
   * @returns true when this call removed one: of concurrent calls for one code, exactly one.
   */
  consume(owner: RecoveryCodeStore.Owner, candidates: readonly string[]): Promise<boolean>;
  /** How many hashes `owner` holds. */
  count(owner: RecoveryCodeStore.Owner): Promise<number>;
  /** Every hash `owner` holds, in any order (to move them to another user). */
  list(owner: RecoveryCodeStore.Owner): Promise<string[]>;
  /** Removes every hash `owner` holds; harmless when there is none. */
  clear(owner: RecoveryCodeStore.Owner): Promise<void>;
}

/** The types a `RecoveryCodeStore` implementation writes in its signatures. */
// eslint-disable-next-line @typescript-eslint/no-namespace -- types only: no code is emitted
export declare namespace RecoveryCodeStore {
  /** Whose recovery codes: a Verigator user of a service. */
  interface Owner {
    serviceId: string;
    userId: string;
  }
}
