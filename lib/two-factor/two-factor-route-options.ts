import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { AUTH_METHODS } from '../models/verigator.models';
import { TwoFactorRouteDefaults, TwoFactorRouteOptions } from './two-factor-options.interface';

const SMS_FALLBACKS: readonly unknown[] = ['accept', 'refuse'];

/**
 * Checks the options of `@RequireTwoFactor()` (or their module-level defaults in `twoFactor`).
 * @throws VerigatorConfigurationError naming the first unusable option, prefixed by `where`.
 */
export function checkTwoFactorRouteOptions<T extends TwoFactorRouteDefaults>(
  options: T,
  where: string,
): T {
  if (options.method !== undefined && !AUTH_METHODS.includes(options.method)) {
    throw new VerigatorConfigurationError(
      `${where}.method`,
      `must be one of: ${AUTH_METHODS.join(', ')}`,
    );
  }
  if (
    options.serviceId !== undefined &&
    (typeof options.serviceId !== 'string' || options.serviceId.trim() === '')
  ) {
    throw new VerigatorConfigurationError(`${where}.serviceId`, 'must be a non-empty string');
  }
  if (options.maxAge !== undefined) requireDuration(options.maxAge, `${where}.maxAge`, true);
  if (options.smsFallback !== undefined && !SMS_FALLBACKS.includes(options.smsFallback)) {
    throw new VerigatorConfigurationError(
      `${where}.smsFallback`,
      `must be one of: ${SMS_FALLBACKS.join(', ')}`,
    );
  }
  return options;
}

/** The route-only switches of `@RequireTwoFactor()`: each a boolean. */
const ROUTE_SWITCHES = ['trustedDevices', 'recoveryCodes'] as const;

/**
 * Checks the options only a route gives (`trustedDevices`, `recoveryCodes`), then the others.
 * @throws VerigatorConfigurationError naming the first unusable option, prefixed by `where`.
 */
export function checkRequireTwoFactorOptions(
  options: TwoFactorRouteOptions,
  where: string,
): TwoFactorRouteOptions {
  for (const name of ROUTE_SWITCHES) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') {
      throw new VerigatorConfigurationError(`${where}.${name}`, 'must be a boolean');
    }
  }
  return checkTwoFactorRouteOptions(options, where);
}

/** Fails unless `value` is a number of milliseconds (positive, or zero when allowed). */
export function requireDuration(value: unknown, option: string, zeroAllowed: boolean): void {
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
  if (!ok) {
    const bound = zeroAllowed ? 'zero or more' : 'a positive number of';
    throw new VerigatorConfigurationError(option, `must be ${bound} milliseconds`);
  }
}
