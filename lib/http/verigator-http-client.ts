import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AxiosResponse } from 'axios';
import { Agent } from 'node:http';
import { InvalidResponseError } from '../errors/verigator.error';
import { VerigatorCallEnd, VerigatorEventPublisher } from '../events/verigator-event-publisher';
import { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } from '../verigator.constants';
import { boundErrorBody } from './bound-error-body';
import { mapStatusToError, mapTransportError } from './map-upstream-error';
import { createSecretMasker } from './mask-secrets';
import { ParsedBody, parseBody } from './parse-body';
import { CallDeadline } from './resilience/call-deadline';
import { EndpointCircuit } from './resilience/endpoint-circuit';
import { withFailover } from './resilience/failover';
import { ResilientCall, VerigatorHttpMethod } from './resilience/resilient-call';
import { createRetryPolicy } from './resilience/retry-policy';

const JSON_CONTENT = { 'Content-Type': 'application/json' };

/**
 * A health probe's call: its own (shorter) `timeout`, no retries, and no circuit breaker, so no
 * probe can change the state real calls see (operation-safety.ts, rule 5).
 */
export interface VerigatorProbeOptions {
  timeout: number;
}

/** What the transport reads of the resolved module options (`ResolvedVerigatorOptions` has it all). */
export interface VerigatorTransportSettings {
  username: string;
  password: string;
  endpoint: string;
  fallbackEndpoints: string[];
  timeout: number;
  retries: number;
  circuitBreaker: { threshold: number; halfOpenAfter: number } | false;
}

/**
 * The single place every Verigator call goes through. Composes the resilience policies of
 * `./resilience` around one attempt (send, then map the answer to a parsed body or an error):
 * retry (what is safe to repeat: operation-safety.ts) around failover across the endpoints,
 * each endpoint behind its own circuit breaker, all within one deadline per call. Retries,
 * failovers and breaker changes are published as they happen (`VerigatorEventPublisher`).
 */
@Injectable()
export class VerigatorHttpClient implements OnModuleDestroy {
  /** The endpoint, then the fallback endpoints, each with its circuit breaker. */
  readonly circuits: readonly EndpointCircuit[];
  /** The same endpoints without breakers: what health probes go through. */
  private readonly unguarded: readonly EndpointCircuit[];
  /** The module's `timeout` and `retries`; not the options object, which holds the password. */
  private readonly defaults: { timeout: number; retries: number };
  /** Bounds and masks what an error keeps; private, so inspection never reaches the password. */
  readonly #keepOnError: (value: unknown) => unknown;

  constructor(
    @Inject(VERIGATOR_HTTP_SERVICE) private readonly http: HttpService,
    @Inject(VERIGATOR_OPTIONS) options: VerigatorTransportSettings,
    private readonly events: VerigatorEventPublisher,
  ) {
    this.defaults = { timeout: options.timeout, retries: options.retries };
    const mask = createSecretMasker([`${options.username}:${options.password}`, options.password]);
    this.#keepOnError = (value) => mask(boundErrorBody(value));
    const endpoints = [options.endpoint, ...options.fallbackEndpoints].map((endpoint) =>
      endpoint.replace(/\/+$/, ''),
    );
    this.circuits = endpoints.map(
      (endpoint) => new EndpointCircuit(endpoint, options.circuitBreaker, events),
    );
    this.unguarded = endpoints.map((endpoint) => new EndpointCircuit(endpoint, false, events));
  }

  /**
   * Sends one request and resolves to the parsed JSON body (undefined when empty) of a 2xx answer.
   * @throws InvalidResponseError for a 2xx whose body is not JSON; another `VerigatorError`
   * subclass for every other failure.
   */
  request(method: VerigatorHttpMethod, path: string, body?: object): Promise<unknown> {
    const call = this.newCall(method, path);
    return this.events.observeCall(
      method,
      path,
      () => this.requestOnce(call, body),
      () => this.ended(call),
    );
  }

  /**
   * A health probe: GETs `path` once per endpoint (failing over on a connection failure) within
   * `probe.timeout`, outside every circuit breaker: its outcome never changes what real calls see.
   * @throws VerigatorError (a subclass) as {@link request} does.
   */
  probe(path: string, probe: VerigatorProbeOptions): Promise<unknown> {
    const call = this.newCall('GET', path, probe);
    return this.events.observeCall(
      'GET',
      path,
      () => this.requestOnce(call, undefined, probe),
      () => this.ended(call),
    );
  }

  /**
   * Sends one request whose answer carries nothing the caller needs (a delete): any 2xx
   * succeeds, whatever its body.
   * @throws VerigatorError (a subclass) for every non-2xx answer or transport failure.
   */
  execute(method: VerigatorHttpMethod, path: string): Promise<void> {
    const call = this.newCall(method, path);
    return this.events.observeCall(
      method,
      path,
      () => this.executeOnce(call),
      () => this.ended(call),
    );
  }

  async onModuleDestroy(): Promise<void> {
    const defaults = this.http.axiosRef.defaults;
    (defaults.httpAgent as Agent | undefined)?.destroy();
    (defaults.httpsAgent as Agent | undefined)?.destroy();
    await (defaults.adapter as { close?: () => Promise<void> } | undefined)?.close?.();
  }

  private newCall(
    method: VerigatorHttpMethod,
    path: string,
    probe?: VerigatorProbeOptions,
  ): ResilientCall {
    return {
      method,
      path,
      retries: probe ? 0 : this.defaults.retries,
      deadline: new CallDeadline(probe?.timeout ?? this.defaults.timeout),
      lastEndpoint: this.circuits[0].endpoint,
    };
  }

  /** Where `call` ended: its last endpoint and that endpoint's breaker as real calls see it. */
  private ended(call: ResilientCall): VerigatorCallEnd {
    const circuit = this.circuits.find(({ endpoint }) => endpoint === call.lastEndpoint);
    return { endpoint: call.lastEndpoint, breakerState: circuit?.state ?? 'closed' };
  }

  private async requestOnce(
    call: ResilientCall,
    body?: object,
    probe?: VerigatorProbeOptions,
  ): Promise<unknown> {
    const { status, parsed } = await this.exchange(call, body, probe);
    if (!parsed.isJson) {
      throw new InvalidResponseError(`Verigator answered ${status} with ${parsed.summary}`, {
        statusCode: status,
      });
    }
    return parsed.value;
  }

  private async executeOnce(call: ResilientCall): Promise<void> {
    await this.exchange(call);
  }

  private async exchange(
    call: ResilientCall,
    body?: object,
    probe?: VerigatorProbeOptions,
  ): Promise<Answer> {
    const { method, path } = call;
    const circuits = probe ? this.unguarded : this.circuits;
    const { signal } = call.deadline;
    let lastError: unknown;
    try {
      return await createRetryPolicy(call, this.events).execute(async () => {
        // A back-off wait that ran into the deadline: report what failed, send nothing more.
        if (signal.aborted && lastError) throw lastError;
        try {
          return await withFailover(call, circuits, this.events, (endpoint) =>
            this.attempt(endpoint, method, path, body, signal),
          );
        } catch (error) {
          throw (lastError = error);
        }
      }, signal);
    } finally {
      call.deadline.end();
    }
  }

  private async attempt(
    endpoint: string,
    method: VerigatorHttpMethod,
    path: string,
    body: object | undefined,
    signal: AbortSignal,
  ): Promise<Answer> {
    const response = await this.send(endpoint, method, path, body, signal);
    // A success body is data: parsed exactly as sent. An error keeps a JSON body, bounded and
    // masked, and of any other body only what it was: a page echoing the request could carry
    // the credentials in any encoding.
    const text = typeof response.data === 'string' ? response.data : '';
    const parsed = parseBody(text);
    const summary = parsed.isJson ? undefined : summarise(response, text);
    if (response.status < 200 || response.status > 299) {
      const kept = parsed.isJson ? this.#keepOnError(parsed.value) : undefined;
      throw mapStatusToError(response.status, kept, header(response, 'retry-after'), summary);
    }
    return { status: response.status, parsed: { ...parsed, summary } };
  }

  /**
   * Sends through the module's axios instance (`HttpService.axiosRef`): the Observable wrapper
   * would cancel a token, and so build a `CanceledError`, after every successful answer. The URL
   * is the endpoint tried and the path; the call's deadline (`signal`) is the only timer. Every
   * failure is mapped here, once.
   */
  private async send(
    endpoint: string,
    method: VerigatorHttpMethod,
    path: string,
    data: object | undefined,
    signal: AbortSignal,
  ): Promise<AxiosResponse<string>> {
    try {
      return await this.http.axiosRef.request<string>({
        method,
        url: endpoint + path,
        data,
        headers: data === undefined ? undefined : JSON_CONTENT,
        signal,
      });
    } catch (error) {
      const { name, code, cause, message } = (error ?? {}) as Record<string, unknown>;
      const masked = { name, code, cause, message: this.#keepOnError(String(message)) };
      throw mapTransportError(masked, new URL(endpoint).host, signal.aborted);
    }
  }
}

/** A 2xx answer: its status and body, with what a body that is not JSON was. */
interface Answer {
  status: number;
  parsed: ParsedBody & { summary?: string };
}

/** What a body that is not JSON was, never its text: `a non-JSON body (text/html, 1234 bytes)`. */
function summarise(response: AxiosResponse, text: string): string {
  const type = header(response, 'content-type')?.split(';')[0].trim() || 'no content type';
  return `a non-JSON body (${type}, ${Buffer.byteLength(text)} bytes)`;
}

function header(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}
