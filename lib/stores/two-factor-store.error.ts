/**
 * A `TwoFactorStore` could not answer: unreachable, too slow or failing. `TwoFactorGuard` then
 * fails closed with 503 `TWO_FACTOR_UNAVAILABLE`, whatever `failOpen` says. Stores that can fail
 * (network stores) reject with this error; any other rejection answers 500. The message names
 * the operation, never a key or a value (they hold user ids).
 */
export class TwoFactorStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TwoFactorStoreError';
  }
}
