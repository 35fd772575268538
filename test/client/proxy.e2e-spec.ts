import { Server, createServer, request as httpRequest } from 'node:http';
import { AddressInfo, Socket, connect } from 'node:net';
import { ConnectionError, RequestTimeoutError, VerigatorError } from '../../lib';
import { createVerigatorApp } from '../utils/create-verigator-app';
import { RecordingServer } from '../utils/recording-server';

/**
 * The proxies a user may meet: `both` forwards absolute-form requests (`GET http://host/path`)
 * and tunnels CONNECT; `forward-only` has no CONNECT (Node's default: the socket is closed);
 * `connect-only` tunnels CONNECT and refuses the rest with 405; `hangs` accepts connections and
 * never answers.
 */
type ProxyKind = 'both' | 'forward-only' | 'connect-only' | 'hangs';

interface Proxy {
  url: string;
  /** The host each request or tunnel asked for. */
  hosts: string[];
  /** TCP connections the proxy accepted. */
  connections: () => number;
  close(): Promise<void>;
}

/** A proxy on loopback that sends every request and tunnel, whatever its host, to `upstream`. */
async function startProxy(kind: ProxyKind, upstream: URL): Promise<Proxy> {
  const hosts: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (kind === 'hangs') return;
    if (kind === 'connect-only') {
      res.writeHead(405).end();
      return;
    }
    const target = new URL(req.url ?? '/');
    hosts.push(target.host);
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  server.on('connection', (socket: Socket) => sockets.add(socket));
  if (kind === 'both' || kind === 'connect-only' || kind === 'hangs') {
    server.on('connect', (req, client: Socket, head: Buffer) => {
      if (kind === 'hangs') return;
      hosts.push(req.url ?? '');
      const socket = connect(Number(upstream.port), upstream.hostname, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        socket.write(head);
        socket.pipe(client);
        client.pipe(socket);
      });
      socket.on('error', () => client.destroy());
      client.on('error', () => socket.destroy());
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hosts,
    connections: () => sockets.size,
    close: async () => {
      // Tunnels and hanging CONNECTs are no longer the server's to close: destroy every socket.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('The proxy environment variables', () => {
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
  let upstream: RecordingServer;

  beforeEach(async () => {
    upstream = await new RecordingServer().start();
    upstream.replyByDefault({
      status: 200,
      body: { id: 's', name: 'Shop', ctime: '2026-01-01T00:00:00Z' },
    });
  });
  afterEach(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await upstream.close();
  });

  /** Calls through a proxy of `kind`; resolves to what the call gave and what it cost. */
  async function callThrough(kind: ProxyKind, endpoint: string, timeout = 1000) {
    const proxy = await startProxy(kind, new URL(upstream.url));
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '';
    // Only the proxy can reach these hosts: `.invalid` never resolves.
    const { app, services } = await createVerigatorApp(endpoint, { timeout, retries: 2 });
    try {
      const started = Date.now();
      const outcome = await services.get('s').catch((error: unknown) => error);
      return { outcome, ms: Date.now() - started, proxy, connections: proxy.connections() };
    } finally {
      await app.close();
      await proxy.close();
    }
  }

  it('HTTP_PROXY carries the calls to Verigator, like any axios client', async () => {
    const { outcome, proxy } = await callThrough('both', 'http://verigator.invalid');
    expect(outcome).toMatchObject({ name: 'Shop' });
    expect(proxy.hosts).toEqual([expect.stringMatching(/^verigator\.invalid(:80)?$/)]);
    expect(upstream.requests).toHaveLength(1);
  });

  it('an http:// endpoint is reached through a proxy without CONNECT, as curl and axios do', async () => {
    const { outcome, connections } = await callThrough('forward-only', 'http://verigator.invalid');
    expect(outcome).toMatchObject({ name: 'Shop' });
    expect(connections).toBe(1);
  });

  // `timeout` bounds the call whatever the proxy does, and a bad proxy costs a few connections:
  // one per attempt (the call and its two retries), never a loop of reconnections.
  it.each([
    ['connect-only', 'http://verigator.invalid', VerigatorError],
    ['hangs', 'http://verigator.invalid', RequestTimeoutError],
    ['forward-only', 'https://verigator.invalid', ConnectionError],
    ['connect-only', 'https://verigator.invalid', ConnectionError],
    ['hangs', 'https://verigator.invalid', RequestTimeoutError],
  ] as const)(
    'a %s proxy and an %s endpoint: the call ends with %p in time, on few connections',
    async (kind, endpoint, errorClass) => {
      const timeout = 500;
      const { outcome, ms, connections } = await callThrough(kind, endpoint, timeout);
      expect(outcome).toBeInstanceOf(errorClass);
      expect(ms).toBeLessThan(timeout + 1000);
      expect(connections).toBeLessThanOrEqual(3);
    },
  );
});
