/** How Verigator delivers the second factor. */
export const AuthMethod = {
  /** A one-time code by SMS to the user's phone. */
  SMS: 'sms',
  /** A code from the Verigator app; Verigator falls back to SMS when the user has no device. */
  TOTP: 'totp',
} as const;

/** `'sms' | 'totp'`. */
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];

/** Every `AuthMethod` value, for validation. */
export const AUTH_METHODS: readonly AuthMethod[] = Object.values(AuthMethod);

/** True when a success counted as `achieved` satisfies a route asking for `wanted` (TOTP > SMS). */
export function outranks(achieved: AuthMethod, wanted: AuthMethod): boolean {
  return achieved === wanted || achieved === AuthMethod.TOTP;
}

/** A service registered with Verigator: one web application whose users it verifies. */
export interface VerigatorService {
  /** The ServiceID Verigator assigned; store it in your configuration. */
  id: string;
  /** Display name, shown as the issuer in the Verigator app. */
  name: string;
  /** When the service was created, RFC 3339 as Verigator sent it (the API's `ctime`). */
  creationTime: string;
}

/** A user of a Verigator service. */
export interface VerigatorUser {
  /** The UserID Verigator assigned; store it with your user to authenticate them later. */
  id: string;
  /** The user's login name in your application (the API's `id_in_service`). */
  username: string;
  /** When the user was added, RFC 3339 as Verigator sent it (the API's `ctime`). */
  creationTime: string;
}

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
