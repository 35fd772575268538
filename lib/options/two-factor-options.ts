import { Provider } from '@nestjs/common';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { InMemoryTwoFactorStore } from '../stores/in-memory-two-factor.store';
import { TwoFactorStore } from '../stores/two-factor.store';
import { TWO_FACTOR_MESSAGES } from '../two-factor/two-factor.exception';
import {
  ResolvedTwoFactorOptions,
  TwoFactorModuleOptions,
} from '../two-factor/two-factor-options.interface';
import {
  checkTwoFactorRouteOptions,
  requireDuration,
} from '../two-factor/two-factor-route-options';
import { VERIGATOR_OPTIONS, VERIGATOR_TWO_FACTOR_OPTIONS } from '../verigator.constants';
import {
  RecoveryCodesOptions,
  ResolvedRecoveryCodesOptions,
} from '../recovery-codes/recovery-codes-options';
import {
  ResolvedTrustedDevicesOptions,
  TrustedDevicesOptions,
} from '../trusted-devices/trusted-devices-options.interface';
import { RECOVERY_CODES_DEFAULTS, TRUSTED_DEVICES_DEFAULTS, TWO_FACTOR_DEFAULTS } from './defaults';
import { rejectUnknownOptionKeys } from './reject-unknown-option-keys';
import {
  ResolvedVerigatorOptions,
  VerigatorModuleOptions,
} from './verigator-module-options.interface';

/** Every key the `twoFactor` option accepts (`satisfies`: a key left out fails type-checking). */
const TWO_FACTOR_OPTION_KEYS = Object.keys({
  method: true,
  serviceId: true,
  maxAge: true,
  smsFallback: true,
  smsCodeLifetime: true,
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
  recoveryCodes: true,
  trustedDevices: true,
} satisfies Record<keyof TwoFactorModuleOptions, true>);

const RECOVERY_CODES_OPTION_KEYS = Object.keys({
  store: true,
  secrets: true,
  count: true,
} satisfies Record<keyof RecoveryCodesOptions, true>);
const RECOVERY_CODE_STORE_METHODS = ['replace', 'consume', 'count', 'list', 'clear'] as const;
/** A letter first: JavaScript lists integer-like keys (`'2'`) first, whatever the order written. */
const SECRET_VERSION = /^[A-Za-z][\w-]{0,31}$/;
const MIN_SECRET_LENGTH = 32;
const MAX_RECOVERY_CODES = 100;

const TRUSTED_DEVICES_KEYS = Object.keys({
  transport: true,
  lifetime: true,
  maxPerUser: true,
  cookieName: true,
} satisfies Record<keyof TrustedDevicesOptions, true>);
const DEVICE_TRANSPORTS: readonly unknown[] = ['cookie', 'header'];
/** Most trusted devices per user: revoking all of them touches one record per device. */
const MAX_DEVICES_PER_USER = 100;
/** A cookie name: an RFC 6265 token. */
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const STORE_METHODS = ['get', 'set', 'setIfAbsent', 'increment', 'decrement', 'delete'] as const;
const READERS = ['userId', 'token', 'sessionKey'] as const;

/**
 * Checks the `twoFactor` module option and applies defaults.
 * @throws VerigatorConfigurationError naming the first unusable option.
 */
export function resolveTwoFactorOptions(
  options: Pick<VerigatorModuleOptions, 'twoFactor' | 'serviceId'> &
    Partial<Pick<ResolvedVerigatorOptions, 'errorMessages'>>,
): ResolvedTwoFactorOptions {
  const given = options.twoFactor ?? {};
  if (typeof given !== 'object') {
    throw new VerigatorConfigurationError('twoFactor', 'must be an object');
  }
  rejectUnknownOptionKeys(given, TWO_FACTOR_OPTION_KEYS, 'twoFactor');
  const route = checkTwoFactorRouteOptions(given, 'twoFactor');
  const resolved: ResolvedTwoFactorOptions = {
    method: route.method ?? TWO_FACTOR_DEFAULTS.method,
    serviceId: route.serviceId ?? options.serviceId,
    maxAge: route.maxAge ?? TWO_FACTOR_DEFAULTS.maxAge,
    smsFallback: route.smsFallback ?? TWO_FACTOR_DEFAULTS.smsFallback,
    smsCodeLifetime: given.smsCodeLifetime ?? TWO_FACTOR_DEFAULTS.smsCodeLifetime,
    cooldown: given.cooldown ?? TWO_FACTOR_DEFAULTS.cooldown,
    maxAttempts: given.maxAttempts ?? TWO_FACTOR_DEFAULTS.maxAttempts,
    window: given.window ?? TWO_FACTOR_DEFAULTS.window,
    maxSends: given.maxSends ?? TWO_FACTOR_DEFAULTS.maxSends,
    sendWindow: given.sendWindow ?? TWO_FACTOR_DEFAULTS.sendWindow,
    failOpen: given.failOpen ?? TWO_FACTOR_DEFAULTS.failOpen,
    userId: given.userId,
    token: given.token,
    sessionKey: given.sessionKey,
    store: given.store,
    messages: given.messages ?? {},
    recoveryCodes: resolveRecoveryCodes(given.recoveryCodes),
    trustedDevices: resolveTrustedDevices(given.trustedDevices),
    errorMessages: options.errorMessages,
  };
  requireDuration(resolved.cooldown, 'twoFactor.cooldown', false);
  requireDuration(resolved.window, 'twoFactor.window', false);
  requireDuration(resolved.sendWindow, 'twoFactor.sendWindow', false);
  requireDuration(resolved.smsCodeLifetime, 'twoFactor.smsCodeLifetime', false);
  requirePositiveInteger(resolved.maxAttempts, 'twoFactor.maxAttempts');
  requirePositiveInteger(resolved.maxSends, 'twoFactor.maxSends');
  if (typeof resolved.failOpen !== 'boolean') {
    throw new VerigatorConfigurationError('twoFactor.failOpen', 'must be a boolean');
  }
  for (const reader of READERS) {
    if (resolved[reader] !== undefined && typeof resolved[reader] !== 'function') {
      throw new VerigatorConfigurationError(`twoFactor.${reader}`, 'must be a function');
    }
  }
  if (resolved.store !== undefined && !hasMethods(resolved.store, STORE_METHODS)) {
    throw new VerigatorConfigurationError(
      'twoFactor.store',
      `must implement TwoFactorStore (${STORE_METHODS.join(', ')})`,
    );
  }
  checkMessages(resolved.messages);
  return resolved;
}

/** Provides the validated two-factor options, failing bootstrap when unusable. */
export const twoFactorOptionsProvider: Provider = {
  provide: VERIGATOR_TWO_FACTOR_OPTIONS,
  useFactory: (options: ResolvedVerigatorOptions) => resolveTwoFactorOptions(options),
  inject: [VERIGATOR_OPTIONS],
};

/** Provides the `TwoFactorStore`: the `twoFactor.store` option, else an in-memory store. */
export const twoFactorStoreProvider: Provider = {
  provide: TwoFactorStore,
  useFactory: (options: ResolvedTwoFactorOptions): TwoFactorStore =>
    options.store ?? new InMemoryTwoFactorStore(),
  inject: [VERIGATOR_TWO_FACTOR_OPTIONS],
};

/** Checks `twoFactor.recoveryCodes`, orders its secrets (newest first) and applies defaults. */
function resolveRecoveryCodes(
  given: RecoveryCodesOptions | undefined,
): ResolvedRecoveryCodesOptions | undefined {
  if (given === undefined) return undefined;
  const where = 'twoFactor.recoveryCodes';
  if (!given || typeof given !== 'object') {
    throw new VerigatorConfigurationError(where, 'must be an object');
  }
  rejectUnknownOptionKeys(given, RECOVERY_CODES_OPTION_KEYS, where);
  const { store, secrets, count = RECOVERY_CODES_DEFAULTS.count } = given;
  if (!hasMethods(store, RECOVERY_CODE_STORE_METHODS)) {
    throw new VerigatorConfigurationError(
      `${where}.store`,
      `must implement RecoveryCodeStore (${RECOVERY_CODE_STORE_METHODS.join(', ')})`,
    );
  }
  if (!secrets || typeof secrets !== 'object' || Object.keys(secrets).length === 0) {
    throw new VerigatorConfigurationError(
      `${where}.secrets`,
      'must name at least one secret by version, e.g. { v1: process.env.RECOVERY_CODE_SECRET }',
    );
  }
  const resolved = Object.entries(secrets).map(([version, secret]) => {
    if (!SECRET_VERSION.test(version)) {
      throw new VerigatorConfigurationError(
        `${where}.secrets`,
        'versions must start with a letter, then letters, digits, _ or - (e.g. v1)',
      );
    }
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new VerigatorConfigurationError(
        `${where}.secrets.${version}`,
        `must be a string of at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`,
      );
    }
    return { version, secret };
  });
  requirePositiveInteger(count, `${where}.count`, MAX_RECOVERY_CODES);
  return { store, secrets: resolved, count };
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return methods.every((method) => typeof candidate[method] === 'function');
}

function requirePositiveInteger(value: unknown, option: string, max = Infinity): void {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    const bound = max === Infinity ? '' : ` up to ${max}`;
    throw new VerigatorConfigurationError(option, `must be a positive integer${bound}`);
  }
}

function resolveTrustedDevices(
  given: TrustedDevicesOptions | undefined,
): ResolvedTrustedDevicesOptions | undefined {
  if (given === undefined) return undefined;
  const where = 'twoFactor.trustedDevices';
  if (!given || typeof given !== 'object') {
    throw new VerigatorConfigurationError(where, 'must be an object');
  }
  rejectUnknownOptionKeys(given, TRUSTED_DEVICES_KEYS, where);
  const resolved = { ...TRUSTED_DEVICES_DEFAULTS, ...given };
  if (!DEVICE_TRANSPORTS.includes(resolved.transport)) {
    throw new VerigatorConfigurationError(
      `${where}.transport`,
      `must be one of: ${DEVICE_TRANSPORTS.join(', ')}`,
    );
  }
  requireDuration(resolved.lifetime, `${where}.lifetime`, false);
  requirePositiveInteger(resolved.maxPerUser, `${where}.maxPerUser`, MAX_DEVICES_PER_USER);
  if (typeof resolved.cookieName !== 'string' || !COOKIE_NAME.test(resolved.cookieName)) {
    throw new VerigatorConfigurationError(`${where}.cookieName`, 'must be a valid cookie name');
  }
  return resolved;
}

function checkMessages(messages: unknown): void {
  if (!messages || typeof messages !== 'object') {
    throw new VerigatorConfigurationError('twoFactor.messages', 'must be an object');
  }
  for (const [code, message] of Object.entries(messages)) {
    if (!(code in TWO_FACTOR_MESSAGES)) {
      throw new VerigatorConfigurationError(`twoFactor.messages.${code}`, 'is not a known code');
    }
    if (typeof message !== 'string') {
      throw new VerigatorConfigurationError(`twoFactor.messages.${code}`, 'must be a string');
    }
  }
}
