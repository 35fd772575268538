import { HttpService } from '@nestjs/axios';
import { Provider } from '@nestjs/common';
import axios from 'axios';
import { ResolvedVerigatorOptions } from '../interfaces/verigator-module-options.interface';
import { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } from '../verigator.constants';
import { createUndiciAdapter } from './undici-adapter';
import { VERIGATOR_USER_AGENT } from './user-agent';

/** Largest response body read from Verigator, in bytes. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Builds the module's own HttpService on a dedicated axios instance (base URL, timeout, default
 * headers), so the host app's HttpService settings and ours never mix. It sends through undici
 * (keep-alive pool, proxy variables honoured; see `undici-adapter.ts`), which costs far less CPU
 * and garbage per call than axios' node:http adapter (BENCHMARKS.md).
 * Statuses are not thrown by axios and bodies stay raw text: the request layer maps both itself.
 * Redirects are not followed: they would carry `X-Service-Auth` to wherever they point.
 */
export function createVerigatorHttpService(options: ResolvedVerigatorOptions): HttpService {
  const instance = axios.create({
    baseURL: options.endpoint.replace(/\/+$/, ''),
    timeout: options.timeout,
    headers: {
      Accept: 'application/json',
      'User-Agent': VERIGATOR_USER_AGENT,
      'X-Service-Auth': `${options.username}:${options.password}`,
    },
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    transitional: { clarifyTimeoutError: true },
    adapter: createUndiciAdapter(),
  });
  return new HttpService(instance);
}

/** Provides the module's HttpService under `VERIGATOR_HTTP_SERVICE`. */
export const verigatorHttpServiceProvider: Provider = {
  provide: VERIGATOR_HTTP_SERVICE,
  useFactory: createVerigatorHttpService,
  inject: [VERIGATOR_OPTIONS],
};
