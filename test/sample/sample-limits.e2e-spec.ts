import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SampleApp } from '../../sample/sample-bootstrap';
import { SAMPLE_RATE_LIMITS } from '../../sample/sample-settings';
import { startSample } from '../utils/sample-app';
import { RawAnswer, sendRequest } from '../utils/send-request';

/** How many requests of a flood are in flight at once. */
const CONCURRENCY = 10;
/** A 6 KB `[[[…]]]` body: it overflowed ValidationPipe's stack (500). */
const DEEP = '['.repeat(3_000) + ']'.repeat(3_000);

/**
 * What anonymous and unauthenticated clients can make the sample do, with its default limits,
 * on each platform: floods from one client (on loopback, bounded) and bodies nested too deep.
 */
describe.each(['express', 'fastify'] as const)('the sample on %s, under load', (platform) => {
  let sample: SampleApp;
  let port: number;
  let agent: Agent;

  beforeEach(async () => {
    sample = await startSample({ platform, rateLimits: SAMPLE_RATE_LIMITS }, { listen: true });
    port = (sample.app.getHttpServer().address() as AddressInfo).port;
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  });
  afterEach(async () => {
    agent.destroy();
    await sample.close();
  });

  const sim = () => sample.simulator!;
  const verigatorCalls = () => sim().requests().length;

  function send(method: string, path: string, headers: Record<string, string> = {}, body = '') {
    const type: Record<string, string> = body ? { 'Content-Type': 'application/json' } : {};
    return sendRequest(port, method, path, { ...type, ...headers }, body, agent);
  }

  /** Sends `count` requests, `CONCURRENCY` at a time; answers how many got each status. */
  async function flood(count: number, request: (i: number) => Promise<RawAnswer>) {
    const statuses: Record<number, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const { status } = await request(next++);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return statuses;
  }

  async function signUp(n = 1): Promise<{ verigatorId: string; apiKey: string }> {
    const body = JSON.stringify({ username: `u${n}@example.com`, phoneNumber: `+372 5558 00${n}` });
    const res = await send('POST', '/users', {}, body);
    expect(res.status).toBe(201);
    return JSON.parse(res.body) as { verigatorId: string; apiKey: string };
  }

  it('caches and throttles health: 300 GET /health make one Verigator call', async () => {
    const { limit } = SAMPLE_RATE_LIMITS.health;
    const statuses = await flood(300, () => send('GET', '/health'));
    expect(statuses).toEqual({ 200: limit, 429: 300 - limit });
    expect(verigatorCalls()).toBe(1);
  });

  it('throttles reads per client: 300 GET /users make only the allowed Verigator calls', async () => {
    const { apiKey } = await signUp();
    const before = verigatorCalls();
    const { limit } = SAMPLE_RATE_LIMITS.reads;
    const statuses = await flood(300, () =>
      send('GET', '/users', { Authorization: `Bearer ${apiKey}` }),
    );
    expect(statuses).toEqual({ 200: limit, 429: 300 - limit });
    expect(verigatorCalls() - before).toBe(limit);
  });

  it('throttles wrong API keys per client, on reads and on 2FA routes, calling nobody', async () => {
    const wrongKey = (i: number) => ({ Authorization: `Bearer wrong-key-${i}` });
    const reads = await flood(300, (i) => send('GET', '/users', wrongKey(i)));
    expect(reads).toEqual({
      401: SAMPLE_RATE_LIMITS.reads.limit,
      429: 300 - SAMPLE_RATE_LIMITS.reads.limit,
    });
    const body = JSON.stringify({ to: 'bob', amount: 1 });
    const transfers = await flood(300, (i) => send('POST', '/transfers', wrongKey(i), body));
    const { limit } = SAMPLE_RATE_LIMITS.twoFactor;
    expect(transfers).toEqual({ 401: limit, 429: 300 - limit });
    expect(verigatorCalls()).toBe(0);
  });

  it('answers 400 to a 6 KB [[[…]]] sign-up body and 413 past 8 KB, sending nothing', async () => {
    const res = await send('POST', '/users', {}, DEEP);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).message).toBe('JSON body nested deeper than 64 levels');
    const wide = JSON.stringify({
      username: 'u@example.com',
      phoneNumber: '+3725555',
      x: 'x'.repeat(8_192),
    });
    expect((await send('POST', '/users', {}, wide)).status).toBe(413);
    expect(verigatorCalls()).toBe(0);
  });

  it('refuses an over-deep transfer before the guard: the code stays valid', async () => {
    const { verigatorId, apiKey } = await signUp();
    const auth = { Authorization: `Bearer ${apiKey}` };
    const transfer = JSON.stringify({ to: 'bob', amount: 1 });
    expect((await send('POST', '/transfers', auth, transfer)).status).toBe(401);
    const code = sim().lastCode(verigatorId)!;
    const before = verigatorCalls();

    const deep = `{"to":"bob","amount":1,"memo":${DEEP}}`;
    const refused = await send('POST', '/transfers', { ...auth, 'X-Verigator-Token': code }, deep);
    expect(refused.status).toBe(400);
    expect(verigatorCalls()).toBe(before);

    const done = await send('POST', '/transfers', { ...auth, 'X-Verigator-Token': code }, transfer);
    expect(done.status).toBe(201);
  });
});
