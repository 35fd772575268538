import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AxiosError, AxiosResponse } from 'axios';
import { Agent } from 'node:http';
import { firstValueFrom } from 'rxjs';
import { InvalidResponseError } from '../errors/invalid-response.error';
import { ResolvedVerigatorOptions } from '../interfaces/verigator-module-options.interface';
import { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } from '../verigator.constants';
import { boundErrorBody } from './bound-error-body';
import { mapStatusToError, mapTransportError } from './map-upstream-error';
import { createSecretMasker } from './mask-secrets';
import { ParsedBody, parseBody } from './parse-body';

/** HTTP methods the Verigator API uses. */
export type VerigatorHttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * The single place every Verigator call goes through: send, then map the outcome to a parsed
 * body or to one of the library's errors. Retries, endpoint failover and a circuit breaker
 * belong here, around `send`.
 */
@Injectable()
export class VerigatorHttpClient implements OnModuleDestroy {
  private readonly timeout: number;
  /** Bounds and masks what an error keeps; private, so inspection never reaches the password. */
  readonly #keepOnError: (value: unknown) => unknown;

  constructor(
    @Inject(VERIGATOR_HTTP_SERVICE) private readonly http: HttpService,
    @Inject(VERIGATOR_OPTIONS) options: ResolvedVerigatorOptions,
  ) {
    this.timeout = options.timeout;
    const mask = createSecretMasker([`${options.username}:${options.password}`, options.password]);
    this.#keepOnError = (value) => mask(boundErrorBody(value));
  }

  /**
   * Sends one request and resolves to the parsed JSON body (undefined when empty) of a 2xx answer.
   * @throws InvalidResponseError for a 2xx whose body is not JSON; another `VerigatorError`
   * subclass for every other failure.
   */
  async request(method: VerigatorHttpMethod, path: string, body?: object): Promise<unknown> {
    const { status, parsed } = await this.exchange(method, path, body);
    if (!parsed.isJson) {
      throw new InvalidResponseError(`Verigator answered ${status} with a non-JSON body`, {
        statusCode: status,
        body: this.#keepOnError(parsed.value),
      });
    }
    return parsed.value;
  }

  /**
   * Sends one request whose answer carries nothing the caller needs (a delete): any 2xx
   * succeeds, whatever its body.
   * @throws VerigatorError (a subclass) for every non-2xx answer or transport failure.
   */
  async execute(method: VerigatorHttpMethod, path: string): Promise<void> {
    await this.exchange(method, path);
  }

  onModuleDestroy(): void {
    const defaults = this.http.axiosRef.defaults;
    (defaults.httpAgent as Agent | undefined)?.destroy();
    (defaults.httpsAgent as Agent | undefined)?.destroy();
  }

  private async exchange(
    method: VerigatorHttpMethod,
    path: string,
    body?: object,
  ): Promise<{ status: number; parsed: ParsedBody }> {
    const response = await this.send(method, path, body);
    // A success body is data: parsed exactly as sent. Only what an error keeps is masked.
    const parsed = parseBody(typeof response.data === 'string' ? response.data : '');
    if (response.status < 200 || response.status > 299) {
      const kept = this.#keepOnError(parsed.value);
      throw mapStatusToError(response.status, kept, header(response, 'retry-after'));
    }
    return { status: response.status, parsed };
  }

  private async send(
    method: VerigatorHttpMethod,
    url: string,
    data?: object,
  ): Promise<AxiosResponse<string>> {
    try {
      return await firstValueFrom(
        this.http.request<string>({
          method,
          url,
          data,
          headers: data === undefined ? undefined : { 'Content-Type': 'application/json' },
          signal: AbortSignal.timeout(this.timeout),
        }),
      );
    } catch (error) {
      const { code, message } = error as AxiosError;
      throw mapTransportError(code, String(this.#keepOnError(String(message))));
    }
  }
}

function header(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}
