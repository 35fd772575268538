import { HttpService } from '@nestjs/axios';
import { Provider } from '@nestjs/common';
import axios from 'axios';
import { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } from '../verigator.constants';
import { createProxyAwareDispatcher, createUndiciAdapter } from './undici-adapter';
import type { VerigatorTransportSettings } from './verigator-http-client';
import { VERIGATOR_USER_AGENT } from './user-agent';

/** Largest response body read from Verigator, in bytes; a larger one is an `InvalidResponseError`. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Builds the module's own HttpService on a dedicated axios instance (default headers, the
 * credentials header), so the host app's HttpService settings and ours never mix. It sends
 * through undici (see `undici-adapter.ts`). It holds what every request shares; the client gives
 * each request its absolute URL (the endpoint it tries) and its deadline (`signal`), and maps
 * every failure itself, so the instance has no `baseURL` nor `timeout` of its own.
 * Statuses are not thrown by axios and bodies stay raw text: the client maps both.
 * Redirects are not followed: they would carry `X-Service-Auth` to wherever they point.
 */
export function createVerigatorHttpService(options: VerigatorTransportSettings): HttpService {
  const instance = axios.create({
    headers: {
      Accept: 'application/json',
      'User-Agent': VERIGATOR_USER_AGENT,
    },
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    adapter: createUndiciAdapter(createProxyAwareDispatcher(options.timeout)),
  });
  // The credentials header is added per request from this closure, not kept in the instance's
  // defaults, so that inspecting or serialising a service or its client never shows it.
  const credentials = `${options.username}:${options.password}`;
  instance.interceptors.request.use(
    (config) => {
      config.headers.set('X-Service-Auth', credentials);
      return config;
    },
    undefined,
    { synchronous: true },
  );
  return new HttpService(instance);
}

/**
 * Provides the module's HttpService under `VERIGATOR_HTTP_SERVICE`; override that token to send
 * through your own (it must resolve every status and keep bodies as text, as this one does).
 */
export const verigatorHttpServiceProvider: Provider = {
  provide: VERIGATOR_HTTP_SERVICE,
  useFactory: createVerigatorHttpService,
  inject: [VERIGATOR_OPTIONS],
};
