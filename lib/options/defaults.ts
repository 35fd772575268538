import { VERIGATOR_ERROR_MESSAGES } from '../filters/verigator-error-response';

/*
 * The default of every module option that has one, in one place (durations in milliseconds).
 * `twoFactor.store` defaults to a new `InMemoryTwoFactorStore` (two-factor-options.ts).
 */

/** Defaults of the options of `VerigatorModule.forRoot()`, `twoFactor` aside. */
export const VERIGATOR_DEFAULTS = {
  endpoint: 'https://api.verigator.com',
  timeout: 5000,
  fallbackEndpoints: [] as readonly string[],
  retries: 2,
  circuitBreaker: { threshold: 5, halfOpenAfter: 30_000 },
  errorMessages: VERIGATOR_ERROR_MESSAGES,
} as const;

/** Defaults of the `twoFactor` option. */
export const TWO_FACTOR_DEFAULTS = {
  method: 'sms',
  cooldown: 60_000,
  maxAttempts: 5,
  window: 15 * 60_000,
  maxSends: 5,
  sendWindow: 10 * 60_000,
  maxAge: 0,
  smsFallback: 'accept',
  smsCodeLifetime: 5 * 60_000,
  failOpen: false,
} as const;

/** Defaults of the `twoFactor.recoveryCodes` option's fields (the option itself is off by default). */
export const RECOVERY_CODES_DEFAULTS = {
  count: 10,
} as const;

/** Defaults of the `twoFactor.trustedDevices` option's fields (the option itself is off by default). */
export const TRUSTED_DEVICES_DEFAULTS = {
  lifetime: 30 * 24 * 3_600_000,
  maxPerUser: 10,
  cookieName: '__Host-verigator-device',
} as const;

/** Defaults of the `sms` option's fields (the option itself is off by default). */
export const SMS_DEFAULTS = {
  reservedForVerified: 0.2,
  prefixDigits: 6,
  unknownNumbers: 'allow',
} as const;
