import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AxiosError, AxiosResponse } from 'axios';
import { Agent } from 'node:http';
import { firstValueFrom } from 'rxjs';
import { InvalidResponseError } from '../errors/invalid-response.error';
import { VerigatorEventPublisher } from '../events/verigator-event-publisher';
import { ResolvedVerigatorOptions } from '../interfaces/verigator-module-options.interface';
import { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } from '../verigator.constants';
import { mapStatusToError, mapTransportError } from './map-upstream-error';
import { ParsedBody, parseBody } from './parse-body';

/** HTTP methods the Verigator API uses. */
export type VerigatorHttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Longest upstream body text kept on an error, in characters. */
const MAX_ERROR_BODY_CHARS = 2048;

/**
 * The single place every Verigator call goes through: send, then map the outcome to a parsed
 * body or to one of the library's errors. Retries, endpoint failover and a circuit breaker
 * belong here, around `send`.
 */
@Injectable()
export class VerigatorHttpClient implements OnModuleDestroy {
  constructor(
    @Inject(VERIGATOR_HTTP_SERVICE) private readonly http: HttpService,
    @Inject(VERIGATOR_OPTIONS) private readonly options: ResolvedVerigatorOptions,
    private readonly events: VerigatorEventPublisher,
  ) {}

  /**
   * Sends one request and resolves to the parsed JSON body (undefined when empty) of a 2xx answer.
   * @throws InvalidResponseError for a 2xx whose body is not JSON; another `VerigatorError`
   * subclass for every other failure.
   */
  request(method: VerigatorHttpMethod, path: string, body?: object): Promise<unknown> {
    return this.events.observeCall(method, path, () => this.requestOnce(method, path, body));
  }

  /**
   * Sends one request whose answer carries nothing the caller needs (a delete): any 2xx
   * succeeds, whatever its body.
   * @throws VerigatorError (a subclass) for every non-2xx answer or transport failure.
   */
  execute(method: VerigatorHttpMethod, path: string): Promise<void> {
    return this.events.observeCall(method, path, () => this.executeOnce(method, path));
  }

  onModuleDestroy(): void {
    const defaults = this.http.axiosRef.defaults;
    (defaults.httpAgent as Agent | undefined)?.destroy();
    (defaults.httpsAgent as Agent | undefined)?.destroy();
  }

  private async requestOnce(
    method: VerigatorHttpMethod,
    path: string,
    body?: object,
  ): Promise<unknown> {
    const { status, parsed } = await this.exchange(method, path, body);
    if (!parsed.isJson) {
      throw new InvalidResponseError(`Verigator answered ${status} with a non-JSON body`, {
        statusCode: status,
        body: parsed.value,
      });
    }
    return parsed.value;
  }

  private async executeOnce(method: VerigatorHttpMethod, path: string): Promise<void> {
    await this.exchange(method, path);
  }

  private async exchange(
    method: VerigatorHttpMethod,
    path: string,
    body?: object,
  ): Promise<{ status: number; parsed: ParsedBody }> {
    const response = await this.send(method, path, body);
    const text = this.redact(typeof response.data === 'string' ? response.data : '');
    const parsed = parseBody(text);
    if (!parsed.isJson) parsed.value = truncate(text);
    if (response.status < 200 || response.status > 299) {
      throw mapStatusToError(response.status, parsed.value, header(response, 'retry-after'));
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
          signal: AbortSignal.timeout(this.options.timeout),
        }),
      );
    } catch (error) {
      const { code, message } = error as AxiosError;
      throw mapTransportError(code, this.redact(String(message)));
    }
  }

  private redact(text: string): string {
    return text.split(this.options.password).join('***');
  }
}

function header(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_BODY_CHARS ? `${text.slice(0, MAX_ERROR_BODY_CHARS)}…` : text;
}
