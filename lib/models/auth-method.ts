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
