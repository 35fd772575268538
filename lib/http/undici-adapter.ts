import { AxiosAdapter, AxiosHeaders, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { Dispatcher, EnvHttpProxyAgent, Pool } from 'undici';
import { OVERSIZED_BODY_CODE } from './map-upstream-error';

/**
 * An axios adapter that owns a connection pool; `close()` ends its connections at once, requests
 * in flight included.
 */
export type UndiciAxiosAdapter = AxiosAdapter & { close(): Promise<void> };

/**
 * Sends the module's axios requests through undici: a keep-alive pool (less CPU and garbage per
 * call than axios' node:http adapter, BENCHMARKS.md) that honours the proxy variables. It serves
 * exactly what the module's instance asks of it: an absolute `url`, `signal` (the call's one
 * deadline: the promise settles when it aborts, whatever the connection does), text bodies up to
 * `maxContentLength`, every status resolved (the client maps them), no redirects, no
 * decompression (no `Accept-Encoding` is sent). Failures are undici's and Node's own errors,
 * mapped once by the client (`mapTransportError`).
 */
export function createUndiciAdapter(
  dispatcher: Dispatcher = createProxyAwareDispatcher(),
): UndiciAxiosAdapter {
  const adapter = async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const signal = config.signal as AbortSignal | undefined;
    const answer = await settleByAbort(
      dispatcher.request({
        ...target(config),
        method: (config.method ?? 'get').toUpperCase() as Dispatcher.HttpMethod,
        headers: config.headers.toJSON(true) as Record<string, string>,
        body: config.data as string | Buffer | undefined,
        signal,
      }),
      signal,
    );
    return {
      data: await readText(answer.body, config.maxContentLength),
      status: answer.statusCode,
      statusText: '',
      headers: new AxiosHeaders(answer.headers as Record<string, string>),
      config,
      request: undefined,
    };
  };
  return Object.assign(adapter, { close: () => dispatcher.destroy() });
}

/**
 * The pool behind the adapter: keep-alive connections, and the proxy environment variables
 * (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`) honoured so that a misbehaving proxy costs a few
 * connections, never a loop of them:
 * - an `http://` endpoint is reached by forwarding (`GET http://host/path` to the proxy), as curl
 *   and axios do, so a proxy without CONNECT serves it;
 * - an `https://` endpoint is tunnelled (CONNECT); a tunnel the proxy refuses or closes fails the
 *   waiting requests (undici would reconnect at once, forever, after a closed one), and a proxy
 *   that never answers the CONNECT gives up the connection after `tunnelTimeout` ms.
 */
export function createProxyAwareDispatcher(tunnelTimeout = 10_000): Dispatcher {
  return new EnvHttpProxyAgent({
    proxyTunnel: false,
    clientFactory: (origin, options) => {
      const proxy = new Pool(origin, { ...options, headersTimeout: tunnelTimeout });
      const connect = proxy.connect.bind(proxy) as (
        params: Dispatcher.ConnectOptions,
      ) => Promise<Dispatcher.ConnectData>;
      return Object.assign(proxy, {
        connect: (params: Dispatcher.ConnectOptions) =>
          connect(params).catch((error: { code?: string; message?: string }) => {
            throw error.code === 'UND_ERR_SOCKET'
              ? Object.assign(new Error(`proxy closed the tunnel: ${error.message}`), {
                  code: 'ECONNRESET',
                })
              : error;
          }),
      });
    },
  });
}

/**
 * `request`, settled at the latest when `signal` aborts: undici defers an abort until the
 * request has a connection, which a hanging proxy or host may never give.
 */
function settleByAbort(
  request: Promise<Dispatcher.ResponseData>,
  signal?: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  if (!signal) return request;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    request.then(
      (answer) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) answer.body.destroy();
        resolve(answer);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The origin and path of `config.url`, which the client gives absolute (endpoint and path). */
function target(config: InternalAxiosRequestConfig): { origin: string; path: string } {
  const url = new URL(config.url ?? '');
  return { origin: url.origin, path: url.pathname + url.search };
}

/** Reads the body as UTF-8 text, refusing more than `maxContentLength` bytes. */
async function readText(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxContentLength = -1,
): Promise<string> {
  const limit = maxContentLength > -1 ? maxContentLength : Infinity;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw Object.assign(new Error(`maxContentLength size of ${limit} exceeded`), {
        code: OVERSIZED_BODY_CODE,
      });
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
}
