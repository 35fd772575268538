import { TwoFactorModuleOptions } from '../two-factor/two-factor-options.interface';

/**
 * Every key the `twoFactor` module option accepts: the one list the unknown-key check reads.
 * Adding an option to `TwoFactorModuleOptions` without listing it here fails type-checking.
 */
export const TWO_FACTOR_OPTION_KEYS = [
  'method',
  'serviceId',
  'maxAge',
  'smsFallback',
  'smsCodeLifetime',
  'cooldown',
  'maxAttempts',
  'window',
  'maxSends',
  'sendWindow',
  'failOpen',
  'userId',
  'token',
  'sessionKey',
  'store',
  'messages',
] as const satisfies readonly (keyof TwoFactorModuleOptions)[];

type UnlistedTwoFactorOptionKey = Exclude<
  keyof TwoFactorModuleOptions,
  (typeof TWO_FACTOR_OPTION_KEYS)[number]
>;
/** Compile-time check: `true` only while every `twoFactor` option key is listed above. */
export const EVERY_TWO_FACTOR_OPTION_KEY_LISTED: [UnlistedTwoFactorOptionKey] extends [never]
  ? true
  : never = true;
