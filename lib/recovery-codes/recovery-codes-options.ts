import { RecoveryCodeStore } from './recovery-code.store';

/**
 * The `twoFactor.recoveryCodes` module option: one-time codes that pass `TwoFactorGuard` in place
 * of a Verigator code (header `X-Verigator-Recovery-Code`), for users who lost their phone.
 * Absent, the feature is off and the header is ignored.
 */
export interface RecoveryCodesOptions {
  /** Where the codes' hashes live: durable, shared by every instance (see `RecoveryCodeStore`). */
  store: RecoveryCodeStore;
  /**
   * Server-side secrets for the codes' keyed hashes (HMAC-SHA-256), by version, newest first:
   * new codes are hashed with the first, and a typed code is checked under every one. To rotate,
   * put a new version first and keep the old ones until their codes may go: a code whose secret
   * is removed stops working. Versions are letters, digits, `_` and `-`, starting with a letter
   * (`v2`, not `2`, which JavaScript would sort first); each secret has at least 32 characters,
   * e.g. `openssl rand -base64 32`.
   * @example { v2: process.env.RECOVERY_CODE_SECRET_V2!, v1: process.env.RECOVERY_CODE_SECRET_V1! }
   */
  secrets: Record<string, string>;
  /** Codes per set that `RecoveryCodesService.generate()` makes (1 to 100). @default 10 */
  count?: number;
}

/** One secret of `RecoveryCodesOptions.secrets`. */
export interface RecoveryCodeSecret {
  version: string;
  secret: string;
}

/** `RecoveryCodesOptions` after validation: secrets in order, newest first; defaults applied. */
export interface ResolvedRecoveryCodesOptions {
  store: RecoveryCodeStore;
  secrets: readonly RecoveryCodeSecret[];
  count: number;
}
