import {
  AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  AxiosResponse,
  CanceledError,
  InternalAxiosRequestConfig,
} from 'axios';
import { Dispatcher, EnvHttpProxyAgent, Pool } from 'undici';

/**
 * An axios adapter that owns a connection pool; `close()` ends its connections at once, requests
 * in flight included, as destroying the node:http agents did.
 */
export type UndiciAxiosAdapter = AxiosAdapter & { close(): Promise<void> };

/** undici's error codes, as the axios Node adapter would have reported the same failure. */
const AXIOS_CODE_OF: Record<string, string> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_DESTROYED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
};

/**
 * Sends axios requests through undici instead of `node:http`, keeping what the module relies on:
 * keep-alive, the proxy environment variables (`EnvHttpProxyAgent`), redirects not followed,
 * `maxContentLength`, `validateStatus`, `signal` and `timeout` (one deadline), text bodies, and
 * errors with the codes the Node adapter gives (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`,
 * `ERR_CANCELED`), so every mapping above it holds. It sends no `Accept-Encoding`, so bodies
 * arrive uncompressed and are never decompressed.
 */
export function createUndiciAdapter(
  dispatcher: Dispatcher = createProxyAwareDispatcher(),
): UndiciAxiosAdapter {
  const adapter = async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const deadline = config.timeout ? AbortSignal.timeout(config.timeout) : undefined;
    const signal =
      deadline && config.signal
        ? AbortSignal.any([deadline, config.signal as AbortSignal])
        : (deadline ?? config.signal);
    try {
      const answer = await settleByAbort(
        dispatcher.request({
          ...target(config),
          method: (config.method ?? 'get').toUpperCase() as Dispatcher.HttpMethod,
          headers: config.headers.toJSON(true) as Record<string, string>,
          body: config.data as string | Buffer | undefined,
          signal: signal as AbortSignal | undefined,
        }),
        signal as AbortSignal | undefined,
      );
      const data = await readText(answer.body, config);
      const response: AxiosResponse = {
        data,
        status: answer.statusCode,
        statusText: '',
        headers: new AxiosHeaders(answer.headers as Record<string, string>),
        config,
        request: undefined,
      };
      const valid = config.validateStatus ? config.validateStatus(answer.statusCode) : true;
      if (valid) return response;
      const code =
        answer.statusCode >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
      throw new AxiosError(
        `Request failed with status code ${answer.statusCode}`,
        code,
        config,
        undefined,
        response,
      );
    } catch (error) {
      throw toAxiosError(error, config, deadline);
    }
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

/** The origin and path of the request: `url` under `baseURL`, unless `url` is absolute. */
function target(config: InternalAxiosRequestConfig): { origin: string; path: string } {
  const url = config.url ?? '';
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
  const full = new URL(
    absolute || !config.baseURL
      ? url
      : `${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`,
  );
  return { origin: full.origin, path: full.pathname + full.search };
}

/** Reads the body as UTF-8 text, refusing more than `maxContentLength` bytes. */
async function readText(
  body: AsyncIterable<Buffer> & { destroy(): void },
  config: InternalAxiosRequestConfig,
): Promise<string> {
  const limit =
    config.maxContentLength !== undefined && config.maxContentLength > -1
      ? config.maxContentLength
      : Infinity;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new AxiosError(
        `maxContentLength size of ${limit} exceeded`,
        AxiosError.ERR_BAD_RESPONSE,
        config,
      );
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** The failure as the axios Node adapter would have reported it. */
function toAxiosError(
  error: unknown,
  config: InternalAxiosRequestConfig,
  deadline?: AbortSignal,
): unknown {
  if (error instanceof AxiosError) return error;
  if (deadline?.aborted) {
    return new AxiosError(`timeout of ${config.timeout}ms exceeded`, AxiosError.ETIMEDOUT, config);
  }
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  if (name === 'AbortError' || (config.signal as AbortSignal | undefined)?.aborted) {
    return new CanceledError(undefined, undefined, config);
  }
  const axiosCode =
    (code && AXIOS_CODE_OF[code]) ?? code ?? (error as { cause?: { code?: string } }).cause?.code;
  return new AxiosError(message ?? 'request failed', axiosCode, config);
}
