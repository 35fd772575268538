import { HttpService } from '@nestjs/axios';
import { Test, TestingModule } from '@nestjs/testing';
import axios from 'axios';
import { Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ConnectionError,
  RequestTimeoutError,
  ServicesService,
  VERIGATOR_HTTP_SERVICE,
  VerigatorError,
  VerigatorModule,
} from '../../lib';
import { TEST_PASSWORD, TEST_USERNAME, createVerigatorApp } from '../utils/create-verigator-app';
import { closedPortUrl } from '../utils/recording-server';

const TIMEOUT_MS = 300;
const SERVICE = JSON.stringify({ id: 's', name: 'Shop', ctime: '2026-01-01T00:00:00Z' });

/** A loopback server whose every answer is written by `answer`. */
async function serve(
  answer: (res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('The deadline of one call (`timeout`)', () => {
  let server: Server | undefined;
  let timers: NodeJS.Timeout[] = [];
  afterEach(async () => {
    timers.forEach(clearInterval);
    timers = [];
    if (server) await stop(server);
    server = undefined;
  });

  it('covers a server that sends its headers and then stalls', async () => {
    let url: string;
    ({ url, server } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"id":');
    }));
    const { app, services } = await createVerigatorApp(url, { timeout: TIMEOUT_MS });
    try {
      await expect(services.get('s')).rejects.toBeInstanceOf(RequestTimeoutError);
    } finally {
      await app.close();
    }
  });

  it('covers a body that trickles in, a byte at a time, for longer than `timeout`', async () => {
    let url: string;
    ({ url, server } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let sent = 0;
      // Each byte comes well within `timeout` of the last: only a whole-call deadline stops it.
      const timer = setInterval(() => {
        if (sent < SERVICE.length) res.write(SERVICE[sent++]);
        else res.end();
      }, TIMEOUT_MS / 5);
      timers.push(timer);
    }));
    const { app, services } = await createVerigatorApp(url, { timeout: TIMEOUT_MS });
    try {
      await expect(services.get('s')).rejects.toBeInstanceOf(RequestTimeoutError);
    } finally {
      await app.close();
    }
  });
});

describe('Shutdown', () => {
  it('closing the app ends a call in flight at once, as a ConnectionError', async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const { url, server } = await serve(() => arrived()); // never answers
    const { app, services } = await createVerigatorApp(url, { timeout: 60_000, retries: 0 });
    try {
      const call = services.get('s').then(
        () => undefined,
        (e: unknown) => e,
      );
      await inFlight; // the whole request has reached the server, which holds it
      await app.close();
      expect(await call).toBeInstanceOf(ConnectionError);
    } finally {
      await stop(server);
    }
  });
});

describe('The body cap', () => {
  it('refuses an answer over 1 MiB instead of reading it whole', async () => {
    const { url, server } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: 's', name: 'x'.repeat(2 * 1024 * 1024), ctime: 'now' }));
    });
    const { app, services } = await createVerigatorApp(url);
    try {
      const error = await services.get('s').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VerigatorError);
      expect((error as VerigatorError).message).not.toContain('xxxx');
    } finally {
      await app.close();
      await stop(server);
    }
  });
});

describe("The module's HttpService stays the transport seam", () => {
  it('a replacement HttpService (here with an interceptor) carries every call', async () => {
    const seen: string[] = [];
    const { url, server } = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(SERVICE);
    });
    server.on('request', (req) => seen.push(String(req.headers['x-trace'])));
    const instance = axios.create({
      baseURL: url,
      headers: { 'X-Service-Auth': `${TEST_USERNAME}:${TEST_PASSWORD}` },
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
    });
    instance.interceptors.request.use((config) => {
      config.headers.set('X-Trace', 'replaced');
      return config;
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        VerigatorModule.forRoot({
          username: TEST_USERNAME,
          password: TEST_PASSWORD,
          endpoint: url,
        }),
      ],
    })
      .overrideProvider(VERIGATOR_HTTP_SERVICE)
      .useValue(new HttpService(instance))
      .compile();
    try {
      const service = await moduleRef.get(ServicesService).get('s');
      expect(service.name).toBe('Shop');
      expect(seen).toEqual(['replaced']);
    } finally {
      await moduleRef.close();
      await stop(server);
    }
  });

  /** The module on axios' own node:http adapter, as a user overriding the token would set it. */
  async function onNodeHttp(endpoint: string) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        VerigatorModule.forRoot({
          username: TEST_USERNAME,
          password: TEST_PASSWORD,
          endpoint,
          timeout: TIMEOUT_MS,
          retries: 0,
        }),
      ],
    })
      .overrideProvider(VERIGATOR_HTTP_SERVICE)
      .useValue(
        new HttpService(
          axios.create({
            adapter: 'http',
            headers: { 'X-Service-Auth': `${TEST_USERNAME}:${TEST_PASSWORD}` },
            responseType: 'text',
            transformResponse: [(data: unknown) => data],
            validateStatus: () => true,
          }),
        ),
      )
      .compile();
    return moduleRef;
  }

  it("maps its failures as the module's own: Node's codes, the deadline, the host named", async () => {
    const closed = await closedPortUrl();
    const refused = await onNodeHttp(closed);
    const { url, server } = await serve(() => undefined);
    const hanging = await onNodeHttp(url);
    const failureOf = (moduleRef: TestingModule) =>
      moduleRef
        .get(ServicesService)
        .get('s')
        .catch((e: unknown) => e);
    try {
      const failed = await failureOf(refused);
      expect(failed).toBeInstanceOf(ConnectionError);
      expect((failed as Error).message).toBe(
        `Verigator at ${new URL(closed).host} could not be reached (ECONNREFUSED)`,
      );
      const error = await failureOf(hanging);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect((error as Error).message).toBe(
        `Verigator at ${new URL(url).host} did not answer in time`,
      );
    } finally {
      await refused.close();
      await hanging.close();
      await stop(server);
    }
  });
});
