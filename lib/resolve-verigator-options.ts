import { Provider } from '@nestjs/common';
import { VerigatorConfigurationError } from './errors/verigator-configuration.error';
import {
  ResolvedVerigatorOptions,
  VerigatorModuleOptions,
} from './interfaces/verigator-module-options.interface';
import { VERIGATOR_MODULE_OPTIONS } from './verigator.module-definition';
import {
  DEFAULT_VERIGATOR_ENDPOINT,
  DEFAULT_VERIGATOR_TIMEOUT_MS,
  VERIGATOR_OPTIONS,
} from './verigator.constants';

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
  requireNonEmpty(options.username, 'username');
  requireNonEmpty(options.password, 'password');
  const endpoint = options.endpoint ?? DEFAULT_VERIGATOR_ENDPOINT;
  if (!isHttpUrl(endpoint)) {
    throw new VerigatorConfigurationError('endpoint', 'must be an http(s) URL without credentials');
  }
  const timeout = options.timeout ?? DEFAULT_VERIGATOR_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new VerigatorConfigurationError('timeout', 'must be a positive number of milliseconds');
  }
  if (options.serviceId !== undefined) requireNonEmpty(options.serviceId, 'serviceId');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new VerigatorConfigurationError('onEvent', 'must be a function');
  }
  return { ...options, endpoint, timeout };
}

/** Provides the validated options under `VERIGATOR_OPTIONS`, failing bootstrap when unusable. */
export const resolvedVerigatorOptionsProvider: Provider = {
  provide: VERIGATOR_OPTIONS,
  useFactory: resolveVerigatorOptions,
  inject: [VERIGATOR_MODULE_OPTIONS],
};

function requireNonEmpty(value: unknown, option: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new VerigatorConfigurationError(option, 'is required and must be a non-empty string');
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password
    );
  } catch {
    return false;
  }
}
