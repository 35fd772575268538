import { request as httpRequest } from 'node:http';
import { until } from '../../test/utils/until';
import { BoundedLog } from './bounded-log';
import { VerigatorSimulator } from './verigator-simulator';

const SERVICE = 'svc';
const ALICE = 'alice-id';
const BOB = 'bob-id';
const seed = {
  services: [
    {
      id: SERVICE,
      name: 'CoffeeShop',
      fqdn: 'coffeeshop.com',
      users: [
        { id: ALICE, username: 'alice', phoneNumber: '+3725555555' },
        { id: BOB, username: 'bob', phoneNumber: '+4401234567' },
      ],
    },
  ],
};

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function call(
  sim: VerigatorSimulator,
  method: string,
  path: string,
  body?: unknown,
  auth = 'demo:demo',
): Promise<Reply> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'X-Service-Auth': auth, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const initiate = (sim: VerigatorSimulator, userId: string) =>
  call(sim, 'POST', `/v1/service/service/${SERVICE}/users/${userId}/auth`, { method: 'sms' });

describe('VerigatorSimulator control API', () => {
  let sim: VerigatorSimulator;

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({ seed });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it('GET /_simulator/health answers 200', async () => {
    const res = await call(sim, 'GET', '/_simulator/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('answers 404 for an unknown control route and 405 for a wrong method, in JSON', async () => {
    const missing = await call(sim, 'GET', '/_simulator/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: expect.any(String) });
    const wrong = await call(sim, 'PUT', '/_simulator/messages');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(wrong.headers.get('content-type')).toBe('application/json');
  });

  describe('messages', () => {
    it('lists every SMS oldest first, filtered by ?to= (a literal + or %2B) and ?userId=', async () => {
      await initiate(sim, ALICE);
      await initiate(sim, BOB);
      await initiate(sim, ALICE);
      const all = await call(sim, 'GET', '/_simulator/messages');
      expect(all.status).toBe(200);
      expect((all.json as { userId: string }[]).map((m) => m.userId)).toEqual([ALICE, BOB, ALICE]);
      expect(all.json).toEqual(sim.messages());

      const plus = await call(sim, 'GET', '/_simulator/messages?to=+3725555555');
      const encoded = await call(sim, 'GET', '/_simulator/messages?to=%2B3725555555');
      expect(plus.json).toHaveLength(2);
      expect(encoded.json).toEqual(plus.json);

      const bob = await call(sim, 'GET', `/_simulator/messages?userId=${BOB}`);
      expect(bob.json).toEqual([expect.objectContaining({ to: '+4401234567', userId: BOB })]);
      expect(sim.messages({ to: '+4401234567', userId: ALICE })).toEqual([]);
    });

    it('lastCode finds the latest code by user id or phone, undefined when none', async () => {
      expect(sim.lastCode(ALICE)).toBeUndefined();
      await initiate(sim, ALICE);
      await initiate(sim, ALICE);
      const latest = sim.messages().at(-1)!.code;
      expect(sim.lastCode(ALICE)).toBe(latest);
      expect(sim.lastCode('+3725555555')).toBe(latest);
    });
  });

  describe('devices', () => {
    it('POST .../devices enrols a device: 201 {secret, otpauthUrl}; initiate totp then sends nothing', async () => {
      const res = await call(sim, 'POST', `/_simulator/service/${SERVICE}/users/${ALICE}/devices`);
      expect(res.status).toBe(201);
      expect(res.json).toEqual({
        secret: expect.stringMatching(/^[A-Z2-7]+$/),
        otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\/CoffeeShop:alice\?secret=/),
      });
      const init = await call(sim, 'POST', `/v1/service/service/${SERVICE}/users/${ALICE}/auth`, {
        method: 'totp',
      });
      expect(init.json).toEqual({ method: 'totp' });
      expect(sim.messages()).toEqual([]);
    });

    it('answers 404 for an unknown service or user and 405 for GET', async () => {
      expect(
        (await call(sim, 'POST', `/_simulator/service/nope/users/${ALICE}/devices`)).status,
      ).toBe(404);
      expect(
        (await call(sim, 'POST', `/_simulator/service/${SERVICE}/users/nope/devices`)).status,
      ).toBe(404);
      expect(
        (await call(sim, 'GET', `/_simulator/service/${SERVICE}/users/${ALICE}/devices`)).status,
      ).toBe(405);
    });
    it('GET .../totp answers the current code of the device, which then verifies once', async () => {
      const base = `/_simulator/service/${SERVICE}/users/${ALICE}`;
      expect((await call(sim, 'GET', `${base}/totp`)).status).toBe(404);
      await call(sim, 'POST', `${base}/devices`);
      const res = await call(sim, 'GET', `${base}/totp`);
      expect(res.status).toBe(200);
      const { code } = res.json as { code: string };
      expect(code).toMatch(/^\d{6}$/);
      const auth = `/v1/service/service/${SERVICE}/users/${ALICE}/auth`;
      expect((await call(sim, 'PUT', auth, { token: code })).json).toEqual({ verified: true });
      expect((await call(sim, 'PUT', auth, { token: code })).json).toMatchObject({
        verified: false,
      });
    });
  });

  describe('faults', () => {
    const users = `/v1/service/service/${SERVICE}/users`;

    it('answers the next matching request with the status and JSON body, then serves normally', async () => {
      const created = await call(sim, 'POST', '/_simulator/faults', {
        status: 503,
        body: { message: 'maintenance' },
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ status: 503, remaining: 1, reset: false });

      const faulted = await call(sim, 'GET', users);
      expect(faulted.status).toBe(503);
      expect(faulted.headers.get('content-type')).toBe('application/json');
      expect(faulted.json).toEqual({ message: 'maintenance' });
      expect((await call(sim, 'GET', users)).status).toBe(200);
    });

    it('sends a string body as is, and a default JSON message without a body', async () => {
      sim.injectFault({ status: 200, body: 'not json at all' });
      sim.injectFault({ status: 500 });
      const text = await call(sim, 'GET', users);
      expect(text.status).toBe(200);
      expect(text.text).toBe('not json at all');
      const plain = await call(sim, 'GET', users);
      expect(plain.status).toBe(500);
      expect(plain.json).toEqual({ message: 'Injected fault (status 500)' });
    });

    it('sends a string body `repeat` times over, for an answer larger than a fault may be', async () => {
      sim.injectFault({ status: 200, body: 'ab', repeat: 1024 * 1024 });
      const res = await call(sim, 'GET', users);
      expect(res.status).toBe(200);
      expect(res.text).toBe('ab'.repeat(1024 * 1024));
      expect(sim.requests()).toHaveLength(1);
    });

    it('sends an empty body for an empty string (like a bare 404)', async () => {
      sim.injectFault({ status: 404, body: '' });
      const res = await call(sim, 'GET', users);
      expect(res.status).toBe(404);
      expect(res.text).toBe('');
    });

    it('matches by method and path pattern, applies `times` times, and is consumed in order', async () => {
      sim.injectFault({ method: 'put', path: '/**/auth', status: 502, times: 2 });
      sim.injectFault({ path: '/v1/service/service/*/users', status: 429 });
      sim.injectFault({ path: '/**/users', status: 418 });

      expect((await call(sim, 'GET', users)).status).toBe(429);
      expect((await call(sim, 'GET', users)).status).toBe(418);
      expect((await call(sim, 'GET', users)).status).toBe(200);
      const verify = `${users}/${ALICE}/auth`;
      expect((await call(sim, 'POST', verify, { method: 'sms' })).status).toBe(200);
      expect((await call(sim, 'PUT', verify, { token: '1' })).status).toBe(502);
      expect((await call(sim, 'PUT', verify, { token: '1' })).status).toBe(502);
      expect((await call(sim, 'PUT', verify, { token: '1' })).status).toBe(200);
    });

    it('delays a request, then serves it normally when there is no status', async () => {
      sim.injectFault({ delayMs: 150 });
      const started = Date.now();
      const res = await call(sim, 'GET', users);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ count: 2 });
    });

    it('delays then answers with the status when both are given', async () => {
      sim.injectFault({ delayMs: 100, status: 504 });
      const started = Date.now();
      expect((await call(sim, 'GET', users)).status).toBe(504);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    });

    it('resets the connection', async () => {
      await call(sim, 'POST', '/_simulator/faults', { reset: true });
      await expect(call(sim, 'GET', users)).rejects.toThrow();
      expect((await call(sim, 'GET', users)).status).toBe(200);
    });

    it('resets the connection for a client with no retry (node:http)', async () => {
      sim.injectFault({ reset: true });
      const outcome = await new Promise<string>((resolve) => {
        const req = httpRequest(`${sim.url}${users}`, {
          headers: { 'X-Service-Auth': 'demo:demo' },
        });
        req.on('response', () => resolve('response'));
        req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        req.end();
      });
      expect(outcome).toBe('ECONNRESET');
    });

    it('does not apply to control routes, and faulted requests are still logged', async () => {
      sim.injectFault({ status: 500 });
      expect((await call(sim, 'GET', '/_simulator/health')).status).toBe(200);
      expect((await call(sim, 'GET', users)).status).toBe(500);
      expect(sim.requests()).toEqual([expect.objectContaining({ method: 'GET', path: users })]);
    });

    it('lists pending faults, and DELETE clears them with 204', async () => {
      sim.injectFault({ status: 500, times: 3 });
      expect((await call(sim, 'GET', '/_simulator/faults')).json).toEqual([
        expect.objectContaining({ status: 500, remaining: 3 }),
      ]);
      const res = await call(sim, 'DELETE', '/_simulator/faults');
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await call(sim, 'GET', users)).status).toBe(200);
      sim.injectFault({ status: 500 });
      sim.clearFaults();
      expect((await call(sim, 'GET', users)).status).toBe(200);
    });

    it.each([
      [{}, 'at least one'],
      [{ status: 99 }, 'status'],
      [{ status: '500' }, 'status'],
      [{ status: 500, times: 0 }, 'times'],
      [{ status: 500, times: 1.5 }, 'times'],
      [{ delayMs: -1 }, 'delayMs'],
      [{ reset: 'yes' }, 'reset'],
      [{ status: 500, path: '(' }, 'path'],
      [{ status: 500, path: '/auth$' }, 'path is an exact path'],
      [{ status: 500, path: 7 }, 'path'],
      [{ status: 500, method: '' }, 'method'],
    ])('answers 422 for the fault %j', async (fault, field) => {
      const res = await call(sim, 'POST', '/_simulator/faults', fault);
      expect(res.status).toBe(422);
      expect((res.json as { message: string }).message).toContain(field);
      expect(() => sim.injectFault(fault as never)).toThrow(field);
    });

    it('refuses a fault beyond 1,000 pending with 409 and keeps the others', async () => {
      for (let i = 0; i < 1000; i++) sim.injectFault({ path: `/n/${i}`, status: 500 });
      const res = await call(sim, 'POST', '/_simulator/faults', { status: 502 });
      expect(res.status).toBe(409);
      expect((res.json as { message: string }).message).toMatch(/full.*1000 faults/);
      expect((await call(sim, 'GET', '/_simulator/faults')).json).toHaveLength(1000);
      expect((await call(sim, 'GET', users)).status).toBe(200);
    });

    it('refuses faults beyond 1 MiB in all with 409: a test cannot grow the heap through them', async () => {
      const body = { message: 'x'.repeat(700 * 1024) };
      expect((await call(sim, 'POST', '/_simulator/faults', { status: 503, body })).status).toBe(
        201,
      );
      const refused = await call(sim, 'POST', '/_simulator/faults', { status: 503, body });
      expect(refused.status).toBe(409);
      expect((refused.json as { message: string }).message).toContain('1048576 bytes');
      const listed = await call(sim, 'GET', '/_simulator/faults');
      expect(listed.text.length).toBeLessThan(1024 * 1024);
      expect((await call(sim, 'GET', users)).status).toBe(503);
      expect((await call(sim, 'POST', '/_simulator/faults', { status: 503, body })).status).toBe(
        201,
      );
    });

    it('answers 422 for a fault body that is not a JSON object', async () => {
      expect((await call(sim, 'POST', '/_simulator/faults', 'nope')).status).toBe(422);
    });
  });

  describe('requests', () => {
    it('lists API requests in order with bodies parsed (when authenticated), and masks the password', async () => {
      await call(
        sim,
        'POST',
        '/v1/service/service',
        { fqdn: 'a.example', name: 'A' },
        'demo:s3cr:et',
      );
      await call(sim, 'POST', '/v1/service/service?x=1', 'not json');
      await call(sim, 'GET', `/v1/service/service/${SERVICE}`);
      await call(sim, 'POST', '/v1/service/service', { fqdn: 'b.example', name: 'B' });
      await call(sim, 'GET', '/_simulator/health');
      const res = await call(sim, 'GET', '/_simulator/requests');
      expect(res.status).toBe(200);
      expect(res.json).toEqual([
        {
          method: 'POST',
          path: '/v1/service/service',
          body: null,
          headers: expect.objectContaining({
            'x-service-auth': 'demo:***',
            'content-type': 'application/json',
          }),
          authenticated: false,
          truncated: false,
        },
        expect.objectContaining({ path: '/v1/service/service?x=1', body: 'not json' }),
        expect.objectContaining({
          method: 'GET',
          path: `/v1/service/service/${SERVICE}`,
          body: null,
        }),
        expect.objectContaining({ body: { fqdn: 'b.example', name: 'B' }, authenticated: true }),
      ]);
      expect(res.text).not.toContain('s3cr');
      expect(JSON.stringify(sim.requests())).not.toContain('demo:demo');
    });
  });

  describe('reset', () => {
    it('POST /_simulator/reset forgets state, outbox, faults and requests, and re-applies the seed', async () => {
      const created = await call(sim, 'POST', '/v1/service/service', {
        fqdn: 'b.example',
        name: 'B',
      });
      const extraId = (created.json as { id: string }).id;
      await call(sim, 'DELETE', `/v1/service/service/${SERVICE}/users/${BOB}`);
      await initiate(sim, ALICE);
      sim.enrolDevice(SERVICE, ALICE);
      sim.injectFault({ path: '/nothing/**', status: 500 });

      const res = await call(sim, 'POST', '/_simulator/reset');
      expect(res.status).toBe(204);

      expect((await call(sim, 'GET', `/v1/service/service/${extraId}`)).status).toBe(404);
      expect((await call(sim, 'GET', `/v1/service/service/${SERVICE}/users`)).json).toMatchObject({
        count: 2,
      });
      expect(sim.messages()).toEqual([]);
      expect(() => sim.totp(SERVICE, ALICE)).toThrow();
      expect((await call(sim, 'GET', '/_simulator/faults')).json).toEqual([]);
      expect(sim.requests().map((r) => r.path)).toEqual([
        `/v1/service/service/${extraId}`,
        `/v1/service/service/${SERVICE}/users`,
      ]);
    });
  });

  describe('seed and start options', () => {
    it('creates the seeded services and users with their ids', async () => {
      const service = await call(sim, 'GET', `/v1/service/service/${SERVICE}`);
      expect(service.json).toEqual({ id: SERVICE, name: 'CoffeeShop', ctime: expect.any(String) });
      const alice = await call(sim, 'GET', `/v1/service/service/${SERVICE}/users/${ALICE}`);
      expect(alice.json).toEqual({ id: ALICE, ctime: expect.any(String), id_in_service: 'alice' });
    });

    it.each([
      [{}, 'seed.services'],
      [{ services: [{ id: 'a', name: 'A' }] }, 'seed.services[0].fqdn'],
      [
        {
          services: [
            { id: 'a', name: 'A', fqdn: 'a' },
            { id: 'a', name: 'B', fqdn: 'b' },
          ],
        },
        'seed.services[1].id',
      ],
      [
        {
          services: [
            {
              id: 'a',
              name: 'A',
              fqdn: 'a',
              users: [{ id: 'u', username: 'x', phoneNumber: '123' }],
            },
          ],
        },
        'seed.services[0].users[0].phoneNumber',
      ],
      [
        {
          services: [
            {
              id: 'a',
              name: 'A',
              fqdn: 'a',
              users: [
                { id: 'u1', username: 'x', phoneNumber: '+3725555555' },
                { id: 'u2', username: 'x', phoneNumber: '+3725555555' },
              ],
            },
          ],
        },
        'seed.services[0].users[1].username',
      ],
    ])('rejects the seed %j naming %s', async (badSeed, field) => {
      await expect(VerigatorSimulator.start({ seed: badSeed as never })).rejects.toThrow(field);
    });

    it.each([
      [{ port: -1 }, 'port'],
      [{ username: 'a:b' }, 'username'],
      [{ codeTtlMs: 0 }, 'codeTtlMs'],
      [{ maxVerifyAttempts: 0 }, 'maxVerifyAttempts'],
      [{ createdStatus: 204 as never }, 'createdStatus'],
      [{ benchmarkToken: '' }, 'benchmarkToken'],
    ])('rejects the options %j naming %s', async (options, field) => {
      await expect(VerigatorSimulator.start(options)).rejects.toThrow(field);
    });

    it('rejects a port already in use', async () => {
      await expect(VerigatorSimulator.start({ port: sim.port })).rejects.toThrow(/EADDRINUSE/);
    });
  });

  describe('lifecycle', () => {
    it('two simulators on port 0 are independent', async () => {
      const other = await VerigatorSimulator.start({ username: 'u', password: 'p' });
      try {
        expect(other.port).not.toBe(sim.port);
        expect(other.url).toBe(`http://127.0.0.1:${other.port}`);
        expect(
          (await call(other, 'GET', `/v1/service/service/${SERVICE}`, undefined, 'u:p')).status,
        ).toBe(404);
        expect(
          (await call(sim, 'GET', `/v1/service/service/${SERVICE}`, undefined, 'u:p')).status,
        ).toBe(401);
        other.injectFault({ status: 500 });
        expect((await call(sim, 'GET', `/v1/service/service/${SERVICE}`)).status).toBe(200);
        expect(sim.requests()).toHaveLength(2);
        expect(other.requests()).toHaveLength(1);
      } finally {
        await other.close();
      }
    });

    it('close() drops keep-alive connections and pending delays, and is idempotent', async () => {
      const temp = await VerigatorSimulator.start();
      expect((await call(temp, 'GET', '/_simulator/health')).status).toBe(200);
      temp.injectFault({ delayMs: 60_000 });
      const hanging = call(temp, 'GET', '/v1/service/service/x');
      hanging.catch(() => undefined);
      // The simulator logs an API request just before it starts the fault's delay.
      await until(() => temp.requests().length === 1, 'the simulator has logged the request');
      const started = Date.now();
      await temp.close();
      await temp.close();
      expect(Date.now() - started).toBeLessThan(1_000);
      await expect(hanging).rejects.toThrow();
      await expect(fetch(`${temp.url}/_simulator/health`)).rejects.toThrow();
    });
  });
});

describe('BoundedLog', () => {
  it('keeps the newest entries, oldest first', () => {
    const log = new BoundedLog<number>(3);
    for (let i = 1; i <= 7; i++) log.push(i);
    expect(log.toArray()).toEqual([5, 6, 7]);
    log.clear();
    log.push(8);
    expect(log.toArray()).toEqual([8]);
  });
});
