import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AxiosError, AxiosResponse } from 'axios';
import { Agent } from 'node:http';
import { firstValueFrom } from 'rxjs';
import { InvalidResponseError } from '../errors/invalid-response.error';
import { ResolvedVerigatorOptions } from '../interfaces/verigator-module-options.interface';
import { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } from '../verigator.constants';
import { mapStatusToError, mapTransportError } from './map-upstream-error';
import { ParsedBody, parseBody } from './parse-body';
import { CallDeadline } from './resilience/call-deadline';
import { EndpointCircuit } from './resilience/endpoint-circuit';
import { withFailover } from './resilience/failover';
import { ResilienceEvents } from './resilience/resilience-event';
import { ResilientCall } from './resilience/resilient-call';
import { createRetryPolicy } from './resilience/retry-policy';

/** HTTP methods the Verigator API uses. */
export type VerigatorHttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Per-call overrides of the module's `timeout` and `retries` (the health check's probe). */
export interface VerigatorCallOptions {
  timeout?: number;
  retries?: number;
}

/** Longest upstream body text kept on an error, in characters. */
const MAX_ERROR_BODY_CHARS = 2048;

/**
 * The single place every Verigator call goes through. Composes the resilience policies of
 * `./resilience` around one attempt (send, then map the answer to a parsed body or an error):
 * retry (what is safe to repeat: operation-safety.ts) around failover across the endpoints,
 * each endpoint behind its own circuit breaker, all within one deadline per call.
 */
@Injectable()
export class VerigatorHttpClient implements OnModuleDestroy {
  /** Breaker state changes, retries and failovers: the hook the audit trail subscribes to. */
  readonly resilience = new ResilienceEvents();
  /** The endpoint, then the fallback endpoints, each with its circuit breaker. */
  readonly circuits: readonly EndpointCircuit[];

  constructor(
    @Inject(VERIGATOR_HTTP_SERVICE) private readonly http: HttpService,
    @Inject(VERIGATOR_OPTIONS) private readonly options: ResolvedVerigatorOptions,
  ) {
    this.circuits = [options.endpoint, ...options.fallbackEndpoints].map(
      (endpoint) =>
        new EndpointCircuit(endpoint.replace(/\/+$/, ''), options.circuitBreaker, this.resilience),
    );
  }

  /**
   * Sends one request and resolves to the parsed JSON body (undefined when empty) of a 2xx answer.
   * @throws InvalidResponseError for a 2xx whose body is not JSON; another `VerigatorError`
   * subclass for every other failure.
   */
  async request(
    method: VerigatorHttpMethod,
    path: string,
    body?: object,
    call?: VerigatorCallOptions,
  ): Promise<unknown> {
    const { status, parsed } = await this.exchange(method, path, body, call);
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

  onModuleDestroy(): void {
    const defaults = this.http.axiosRef.defaults;
    (defaults.httpAgent as Agent | undefined)?.destroy();
    (defaults.httpsAgent as Agent | undefined)?.destroy();
  }

  private async exchange(
    method: VerigatorHttpMethod,
    path: string,
    body?: object,
    options: VerigatorCallOptions = {},
  ): Promise<{ status: number; parsed: ParsedBody }> {
    const call: ResilientCall = {
      method,
      path,
      retries: options.retries ?? this.options.retries,
      deadline: new CallDeadline(options.timeout ?? this.options.timeout),
      lastEndpoint: this.circuits[0].endpoint,
    };
    const { signal } = call.deadline;
    let lastError: unknown;
    return createRetryPolicy(call, this.resilience).execute(async () => {
      // A back-off wait that ran into the deadline: report what failed, send nothing more.
      if (signal.aborted && lastError) throw lastError;
      try {
        return await withFailover(call, this.circuits, this.resilience, (endpoint) =>
          this.attempt(endpoint, method, path, body, signal),
        );
      } catch (error) {
        throw (lastError = error);
      }
    }, signal);
  }

  private async attempt(
    endpoint: string,
    method: VerigatorHttpMethod,
    path: string,
    body: object | undefined,
    signal: AbortSignal,
  ): Promise<{ status: number; parsed: ParsedBody }> {
    const response = await this.send(endpoint, method, path, body, signal);
    const text = this.redact(typeof response.data === 'string' ? response.data : '');
    const parsed = parseBody(text);
    if (!parsed.isJson) parsed.value = truncate(text);
    if (response.status < 200 || response.status > 299) {
      throw mapStatusToError(response.status, parsed.value, header(response, 'retry-after'));
    }
    return { status: response.status, parsed };
  }

  private async send(
    baseURL: string,
    method: VerigatorHttpMethod,
    url: string,
    data: object | undefined,
    signal: AbortSignal,
  ): Promise<AxiosResponse<string>> {
    try {
      return await firstValueFrom(
        this.http.request<string>({
          baseURL,
          method,
          url,
          data,
          headers: data === undefined ? undefined : { 'Content-Type': 'application/json' },
          signal,
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
