/** Why a verification failed, as Verigator reported it. */
export interface VerificationStatus {
  /** Too many wrong tries: the code no longer works, even the right one. */
  throttled: boolean;
  /** The code's lifetime is over. */
  expired: boolean;
  /** The token does not match. */
  invalid: boolean;
  /** Verigator's summary, e.g. `INVALID`, `EXPIRED`, `THROTTLED`. */
  result: string;
}

/** The answer to `AuthService.verify()`. */
export interface VerificationResult {
  /** True when the token was right. */
  verified: boolean;
  /** Present when `verified` is false and Verigator said why. */
  status?: VerificationStatus;
}
