import { VerigatorModuleOptions } from '../interfaces/verigator-module-options.interface';

/**
 * Every key `VerigatorModuleOptions` accepts: the one list the unknown-key check reads. Adding an
 * option to the interface without listing it here fails type-checking (see the assertion below).
 */
export const VERIGATOR_OPTION_KEYS = [
  'username',
  'password',
  'endpoint',
  'timeout',
  'fallbackEndpoints',
  'retries',
  'circuitBreaker',
  'serviceId',
  'twoFactor',
  'errorMessages',
  'onEvent',
] as const satisfies readonly (keyof VerigatorModuleOptions)[];

type UnlistedOptionKey = Exclude<
  keyof VerigatorModuleOptions,
  (typeof VERIGATOR_OPTION_KEYS)[number]
>;
/** Compile-time check: `true` only while every option key is listed above. */
export const EVERY_OPTION_KEY_LISTED: [UnlistedOptionKey] extends [never] ? true : never = true;
