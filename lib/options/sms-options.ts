import { getCountries } from 'libphonenumber-js';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import type { SmsDefenceSettings } from '../sms/sms-defence';
import { SMS_DEFAULTS } from './defaults';
import { rejectUnknownOptionKeys } from './reject-unknown-option-keys';

/** A budget: at most `max` SMS per `window` milliseconds (a fixed window from its first SMS). */
export interface VerigatorSmsBudget {
  /** SMS allowed per window. */
  max: number;
  /** Length of the window in milliseconds. */
  window: number;
}

/**
 * Defences against SMS pumping (toll fraud), all off unless set: a country allow-list, an
 * app-wide SMS budget and per-prefix budgets, counted in the `TwoFactorStore` (shared by every
 * instance on Redis). They apply wherever an SMS can be started: `TwoFactorGuard` and
 * `AuthService.initiate`; the allow-list also to `UsersService.create`.
 * @example
 * sms: {
 *   allowedCountries: ['EE', 'LV', 'LT', 'FI'],
 *   budget: { max: 1000, window: 3_600_000, reservedForVerified: 0.3 },
 *   prefixBudget: { max: 30, window: 3_600_000 },
 * }
 */
export interface VerigatorSmsOptions {
  /**
   * ISO 3166-1 alpha-2 codes of the countries SMS may go to (`['EE', 'FI']`). A number outside
   * them is refused by `UsersService.create` (400 naming `phoneNumber`) and no SMS is sent to it.
   */
  allowedCountries?: readonly string[];
  /**
   * The app-wide budget: every SMS the app starts, whoever the user. Past it, no SMS is sent
   * (429 `SMS_LIMITED` with `Retry-After`); TOTP and remembered successes still work, and a
   * `smsBudgetExhausted` event raises the alarm once per window.
   */
  budget?: VerigatorSmsBudget & {
    /**
     * Share of `max` (0 to 1) kept for users who have verified a code before, so that a flood of
     * new accounts cannot become an SMS outage for everyone.
     * @default 0.2
     */
    reservedForVerified?: number;
  };
  /**
   * A budget per number prefix (the first `digits` digits of the E.164 number, country code
   * included): a burst into one range stops while the rest of the world still gets codes.
   */
  prefixBudget?: VerigatorSmsBudget & {
    /** @default 6 */
    digits?: number;
  };
  /**
   * The user's phone number from your own data, for users the library did not create (it records
   * only the country and prefix of the users `UsersService.create` adds, never the number).
   * Returning `undefined` makes the number unknown.
   */
  phoneNumberOf?: (
    serviceId: string,
    userId: string,
  ) => string | undefined | Promise<string | undefined>;
  /**
   * What happens when neither the store nor `phoneNumberOf` knows a user's number: `allow` sends
   * within the app-wide budget only (no country or prefix check); `refuse` sends nothing
   * (`SMS_NOT_ALLOWED`).
   * @default 'allow'
   */
  unknownNumbers?: 'allow' | 'refuse';
}

/** The SMS options after checks and defaults; `undefined` when no defence is on. */
export type ResolvedSmsOptions = SmsDefenceSettings;

const SMS_OPTION_KEYS = Object.keys({
  allowedCountries: true,
  budget: true,
  prefixBudget: true,
  phoneNumberOf: true,
  unknownNumbers: true,
} satisfies Record<keyof VerigatorSmsOptions, true>);

/**
 * Checks the `sms` module option.
 * @throws VerigatorConfigurationError naming the first unusable field.
 */
export function resolveSmsOptions(value: unknown): ResolvedSmsOptions | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new VerigatorConfigurationError('sms', 'must be an object');
  }
  rejectUnknownOptionKeys(value, SMS_OPTION_KEYS, 'sms');
  const given = value as VerigatorSmsOptions;
  const resolved: ResolvedSmsOptions = {
    prefixDigits: given.prefixBudget?.digits ?? SMS_DEFAULTS.prefixDigits,
    unknownNumbers: given.unknownNumbers ?? SMS_DEFAULTS.unknownNumbers,
  };
  if (given.allowedCountries !== undefined) {
    resolved.allowedCountries = resolveCountries(given.allowedCountries);
  }
  if (given.budget !== undefined) {
    const { reservedForVerified = SMS_DEFAULTS.reservedForVerified } = given.budget;
    const budget = resolveBudget(given.budget, 'sms.budget', ['reservedForVerified']);
    if (
      typeof reservedForVerified !== 'number' ||
      !(reservedForVerified >= 0 && reservedForVerified < 1)
    ) {
      throw new VerigatorConfigurationError(
        'sms.budget.reservedForVerified',
        'must be a number from 0 to less than 1',
      );
    }
    resolved.budget = { ...budget, reservedForVerified };
  }
  if (given.prefixBudget !== undefined) {
    const { digits = SMS_DEFAULTS.prefixDigits } = given.prefixBudget;
    const budget = resolveBudget(given.prefixBudget, 'sms.prefixBudget', ['digits']);
    if (!Number.isInteger(digits) || digits < 2 || digits > 15) {
      throw new VerigatorConfigurationError(
        'sms.prefixBudget.digits',
        'must be an integer from 2 to 15',
      );
    }
    resolved.prefixBudget = budget;
  }
  if (given.phoneNumberOf !== undefined) {
    if (typeof given.phoneNumberOf !== 'function') {
      throw new VerigatorConfigurationError('sms.phoneNumberOf', 'must be a function');
    }
    resolved.phoneNumberOf = given.phoneNumberOf;
  }
  if (resolved.unknownNumbers !== 'allow' && resolved.unknownNumbers !== 'refuse') {
    throw new VerigatorConfigurationError('sms.unknownNumbers', "must be 'allow' or 'refuse'");
  }
  return resolved;
}

function resolveCountries(value: unknown): ReadonlySet<string> {
  if (!Array.isArray(value) || value.length === 0) {
    throw new VerigatorConfigurationError(
      'sms.allowedCountries',
      'must be a non-empty array of ISO 3166-1 alpha-2 codes',
    );
  }
  const known = new Set<string>(getCountries());
  value.forEach((code: unknown, i) => {
    if (typeof code !== 'string' || !known.has(code)) {
      throw new VerigatorConfigurationError(
        `sms.allowedCountries[${i}]`,
        'must be an ISO 3166-1 alpha-2 code with a phone numbering plan, e.g. EE',
      );
    }
  });
  return new Set(value as string[]);
}

function resolveBudget(value: unknown, option: string, extraKeys: string[]): VerigatorSmsBudget {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new VerigatorConfigurationError(option, 'must be an object with max and window');
  }
  rejectUnknownOptionKeys(value, ['max', 'window', ...extraKeys], option);
  const { max, window } = value as Partial<VerigatorSmsBudget>;
  if (!Number.isInteger(max) || (max as number) < 1) {
    throw new VerigatorConfigurationError(`${option}.max`, 'must be a positive integer');
  }
  if (typeof window !== 'number' || !Number.isFinite(window) || window <= 0) {
    throw new VerigatorConfigurationError(
      `${option}.window`,
      'must be a positive number of milliseconds',
    );
  }
  return { max: max as number, window };
}
