import { Inject, Provider } from '@nestjs/common';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import type { VerigatorErrorCode } from '../filters/verigator-error-response';
import { VERIGATOR_MODULE_OPTIONS, VERIGATOR_OPTIONS } from '../verigator.constants';
import {
  ResolvedVerigatorOptions,
  VerigatorModuleOptions,
} from './verigator-module-options.interface';
import { VERIGATOR_DEFAULTS } from './defaults';
import { resolveSmsOptions } from './sms-options';
import { rejectUnknownOptionKeys } from './reject-unknown-option-keys';

/** Every key `VerigatorModuleOptions` accepts (`satisfies`: a key left out fails type-checking). */
const VERIGATOR_OPTION_KEYS = Object.keys({
  username: true,
  password: true,
  endpoint: true,
  timeout: true,
  fallbackEndpoints: true,
  retries: true,
  circuitBreaker: true,
  serviceId: true,
  twoFactor: true,
  sms: true,
  errorMessages: true,
  onEvent: true,
} satisfies Record<keyof VerigatorModuleOptions, true>);

/**
 * Checks the module options and applies defaults.
 * @throws VerigatorConfigurationError naming the first unusable option (never its secret value).
 */
export function resolveVerigatorOptions(
  options: VerigatorModuleOptions | undefined,
): ResolvedVerigatorOptions {
  if (!options || typeof options !== 'object') {
    throw new VerigatorConfigurationError('options', 'must be an object');
  }
  rejectUnknownOptionKeys(options, VERIGATOR_OPTION_KEYS);
  requireNonEmpty(options.username, 'username');
  requireNonEmpty(options.password, 'password');
  requireHeaderSafe(options.username, 'username');
  requireHeaderSafe(options.password, 'password');
  if (options.username.includes(':')) {
    throw new VerigatorConfigurationError('username', 'must not contain ":"');
  }
  const endpoint = options.endpoint ?? VERIGATOR_DEFAULTS.endpoint;
  if (!isHttpUrl(endpoint)) {
    throw new VerigatorConfigurationError(
      'endpoint',
      'must be an http(s) URL without credentials, query ("?") or fragment ("#")',
    );
  }
  const timeout = toTimeout(options.timeout ?? VERIGATOR_DEFAULTS.timeout);
  if (options.serviceId !== undefined) requireNonEmpty(options.serviceId, 'serviceId');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new VerigatorConfigurationError('onEvent', 'must be a function');
  }
  return {
    ...options,
    endpoint,
    timeout,
    fallbackEndpoints: resolveFallbackEndpoints(options.fallbackEndpoints),
    retries: resolveRetries(options.retries),
    circuitBreaker: resolveCircuitBreaker(options.circuitBreaker),
    errorMessages: resolveErrorMessages(options.errorMessages),
    sms: resolveSmsOptions(options.sms),
  };
}

/** Provides the validated options under `VERIGATOR_OPTIONS`, failing bootstrap when unusable. */
export const resolvedVerigatorOptionsProvider: Provider = {
  provide: VERIGATOR_OPTIONS,
  useFactory: resolveVerigatorOptions,
  inject: [VERIGATOR_MODULE_OPTIONS],
};

/**
 * Injects the resolved module options (`ResolvedVerigatorOptions`).
 * @example constructor(@InjectVerigatorOptions() private readonly options: ResolvedVerigatorOptions) {}
 */
export function InjectVerigatorOptions(): ParameterDecorator & PropertyDecorator {
  return Inject(VERIGATOR_OPTIONS);
}

function resolveFallbackEndpoints(value: unknown): string[] {
  if (value === undefined) return [...VERIGATOR_DEFAULTS.fallbackEndpoints];
  if (!Array.isArray(value)) {
    throw new VerigatorConfigurationError('fallbackEndpoints', 'must be an array of URLs');
  }
  value.forEach((endpoint, i) => {
    if (!isHttpUrl(endpoint)) {
      throw new VerigatorConfigurationError(
        `fallbackEndpoints[${i}]`,
        'must be an http(s) URL without credentials, query ("?") or fragment ("#")',
      );
    }
  });
  return [...(value as string[])];
}

function resolveRetries(value: unknown): number {
  if (value === undefined) return VERIGATOR_DEFAULTS.retries;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 10) {
    throw new VerigatorConfigurationError('retries', 'must be an integer from 0 to 10');
  }
  return value as number;
}

function resolveCircuitBreaker(value: unknown): ResolvedVerigatorOptions['circuitBreaker'] {
  if (value === false) return false;
  if (value === undefined) return { ...VERIGATOR_DEFAULTS.circuitBreaker };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new VerigatorConfigurationError('circuitBreaker', 'must be an object or false');
  }
  rejectUnknownOptionKeys(value, Object.keys(VERIGATOR_DEFAULTS.circuitBreaker), 'circuitBreaker');
  const { threshold = VERIGATOR_DEFAULTS.circuitBreaker.threshold } = value as {
    threshold?: unknown;
  };
  const { halfOpenAfter = VERIGATOR_DEFAULTS.circuitBreaker.halfOpenAfter } = value as {
    halfOpenAfter?: unknown;
  };
  if (!Number.isInteger(threshold) || (threshold as number) < 1) {
    throw new VerigatorConfigurationError('circuitBreaker.threshold', 'must be a positive integer');
  }
  if (typeof halfOpenAfter !== 'number' || !Number.isFinite(halfOpenAfter) || halfOpenAfter <= 0) {
    throw new VerigatorConfigurationError(
      'circuitBreaker.halfOpenAfter',
      'must be a positive number of milliseconds',
    );
  }
  return { threshold: threshold as number, halfOpenAfter };
}

function requireNonEmpty(value: unknown, option: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new VerigatorConfigurationError(option, 'is required and must be a non-empty string');
  }
}

/**
 * The credentials travel in the `X-Service-Auth` header: a value Node would alter or refuse on
 * the wire (control characters, non-Latin-1, surrounding spaces) would fail every call with a 401
 * later, so it fails the bootstrap instead. The message never shows the value.
 */
function requireHeaderSafe(value: string, option: string): void {
  // Visible Latin-1 and inner spaces/tabs only (RFC 9110 field-value), no leading/trailing space.
  if (!/^[\x21-\x7e\x80-\xff]([\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/.test(value)) {
    throw new VerigatorConfigurationError(
      option,
      'must be usable in an HTTP header: Latin-1 characters only, no control characters (CR, LF),' +
        ' no leading or trailing spaces',
    );
  }
}

function toTimeout(value: unknown): number {
  const timeout = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new VerigatorConfigurationError(
      'timeout',
      'must be a positive number of milliseconds (a number or a numeric string)',
    );
  }
  return timeout;
}

function resolveErrorMessages(messages: unknown): Record<VerigatorErrorCode, string> {
  if (messages === undefined) return { ...VERIGATOR_DEFAULTS.errorMessages };
  if (!messages || typeof messages !== 'object') {
    throw new VerigatorConfigurationError('errorMessages', 'must be an object');
  }
  rejectUnknownOptionKeys(messages, Object.keys(VERIGATOR_DEFAULTS.errorMessages), 'errorMessages');
  for (const [code, message] of Object.entries(messages)) {
    if (typeof message !== 'string' || message.trim() === '') {
      throw new VerigatorConfigurationError(`errorMessages.${code}`, 'must be a non-empty string');
    }
  }
  return { ...VERIGATOR_DEFAULTS.errorMessages, ...(messages as Record<string, string>) };
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.includes('?') || value.includes('#')) return false;
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password
    );
  } catch {
    return false;
  }
}
