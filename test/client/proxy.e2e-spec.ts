import { Server, createServer, request as httpRequest } from 'node:http';
import { AddressInfo, Socket, connect } from 'node:net';
import { createVerigatorApp } from '../utils/create-verigator-app';
import { RecordingServer } from '../utils/recording-server';

/**
 * A forward proxy on loopback that sends every request, whatever its host, to `upstream`: it
 * takes absolute-form requests (`GET http://host/path`) and CONNECT tunnels, and records which
 * host each one asked for.
 */
async function startProxy(
  upstream: URL,
): Promise<{ server: Server; url: string; hosts: string[] }> {
  const hosts: string[] = [];
  const server = createServer((req, res) => {
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
  server.on('connect', (req, client: Socket, head: Buffer) => {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hosts };
}

describe('The proxy environment variables', () => {
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('HTTP_PROXY carries the calls to Verigator, like any axios client', async () => {
    const upstream = await new RecordingServer().start();
    upstream.replyByDefault({
      status: 200,
      body: { id: 's', name: 'Shop', ctime: '2026-01-01T00:00:00Z' },
    });
    const proxy = await startProxy(new URL(upstream.url));
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '';
    // Only the proxy can reach this host: `.invalid` never resolves.
    const { app, services } = await createVerigatorApp('http://verigator.invalid');
    try {
      await expect(services.get('s')).resolves.toMatchObject({ name: 'Shop' });
      expect(proxy.hosts).toEqual([expect.stringMatching(/^verigator\.invalid(:80)?$/)]);
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await app.close();
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy.server.close(resolve));
      await upstream.close();
    }
  });
});
