import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AxiosError, AxiosResponse } from 'axios';
import { Agent } from 'node:http';
import { InvalidResponseError } from '../errors/invalid-response.error';
import { ResolvedVerigatorOptions } from '../interfaces/verigator-module-options.interface';
import { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } from '../verigator.constants';
import { mapStatusToError, mapTransportError } from './map-upstream-error';
import { ParsedBody, parseBody } from './parse-body';

/** HTTP methods the Verigator API uses. */
export type VerigatorHttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

const JSON_CONTENT = { 'Content-Type': 'application/json' };

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
  ) {}

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
        body: parsed.value,
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

  async onModuleDestroy(): Promise<void> {
    const defaults = this.http.axiosRef.defaults;
    (defaults.httpAgent as Agent | undefined)?.destroy();
    (defaults.httpsAgent as Agent | undefined)?.destroy();
    await (defaults.adapter as { close?: () => Promise<void> } | undefined)?.close?.();
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

  /**
   * Sends through the module's axios instance (`HttpService.axiosRef`): the Observable wrapper
   * would cancel a token, and so build a `CanceledError`, after every successful answer. One
   * timer is the call's whole deadline, connect to last body byte; axios' own timeout is off.
   */
  private async send(
    method: VerigatorHttpMethod,
    url: string,
    data?: object,
  ): Promise<AxiosResponse<string>> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeout);
    try {
      return await this.http.axiosRef.request<string>({
        method,
        url,
        data,
        headers: data === undefined ? undefined : JSON_CONTENT,
        timeout: 0,
        signal: deadline.signal,
      });
    } catch (error) {
      const { code, message } = error as AxiosError;
      throw mapTransportError(code, this.redact(String(message)));
    } finally {
      clearTimeout(timer);
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
