import { TwoFactorModuleOptions } from '../two-factor/two-factor-options.interface';

/**
 * Every key the `twoFactor` module option accepts: the one list the unknown-key check reads
 * (`satisfies`: a key of `TwoFactorModuleOptions` left out fails type-checking).
 */
export const TWO_FACTOR_OPTION_KEYS = Object.keys({
  method: true,
  serviceId: true,
  maxAge: true,
  cooldown: true,
  maxAttempts: true,
  window: true,
  maxSends: true,
  sendWindow: true,
  failOpen: true,
  userId: true,
  token: true,
  sessionKey: true,
  store: true,
  messages: true,
} satisfies Record<keyof TwoFactorModuleOptions, true>);
