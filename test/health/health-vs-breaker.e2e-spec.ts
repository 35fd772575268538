import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ServicesService, VerigatorHealthIndicator } from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import {
  ADAPTERS,
  AccountController,
  SERVICE_ID as SERVICE,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

const USER = 'u-1';

/**
 * Issue 15.1: a slow Verigator fails the health probe's short timeout while real calls, with the
 * module's longer one, succeed. No number of probes may change what real calls see.
 */
describe.each(ADAPTERS)('health probes and the breaker real calls use (%s)', (_name, adapter) => {
  let sim: VerigatorSimulator;
  let app: INestApplication;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await app?.close();
    sim.reset();
  });
  afterAll(() => sim.close());

  async function boot(twoFactor: { failOpen?: boolean } = {}): Promise<VerigatorHealthIndicator> {
    ({ app } = await createVerigatorApp(
      sim.url,
      {
        timeout: 5_000,
        retries: 0,
        circuitBreaker: { threshold: 2, halfOpenAfter: 60_000 },
        twoFactor,
      },
      { adapter, controllers: [AccountController] },
    ));
    // Every answer takes 200 ms: longer than the probe's 20 ms, far shorter than real calls' 5 s.
    sim.injectFault({ delayMs: 200, times: 1_000 });
    return app.get(VerigatorHealthIndicator);
  }

  async function failProbes(health: VerigatorHealthIndicator, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const result = await health.isHealthy('verigator', { timeout: 20, maxAge: 0 });
      expect(result.verigator).toMatchObject({ status: 'down', reason: 'timeout' });
    }
  }

  it('leaves the circuit closed and real calls answered, however many probes time out', async () => {
    const health = await boot();
    await failProbes(health, 6);
    await expect(app.get(ServicesService).get(SERVICE)).resolves.toMatchObject({ id: SERVICE });
    const after = await health.isHealthy('verigator', { timeout: 2_000, maxAge: 0 });
    expect(after.verigator).toEqual({
      status: 'up',
      circuits: [{ endpoint: sim.url, state: 'closed' }],
    });
  });

  it('never turns on failOpen: no code and a wrong code are still refused', async () => {
    const health = await boot({ failOpen: true });
    await failProbes(health, 6);
    const http = () => request(app.getHttpServer());
    const noCode = await http().post('/account/transfer').set('x-user', USER);
    expect(noCode.status).toBe(401);
    expect(noCode.body.code).toBe('TWO_FACTOR_REQUIRED');
    expect(sim.messages({ userId: USER })).toHaveLength(1);
    const wrong = await http()
      .post('/account/transfer')
      .set('x-user', USER)
      .set('x-verigator-token', '000000');
    expect(wrong.status).toBe(401);
    const right = await http()
      .post('/account/transfer')
      .set('x-user', USER)
      .set('x-verigator-token', sim.lastCode(USER)!);
    expect(right.status).toBe(201);
  });
});

describe('health results are cached and shared', () => {
  let sim: VerigatorSimulator;
  let app: INestApplication;

  beforeAll(async () => {
    sim = await startSimulator();
    ({ app } = await createVerigatorApp(sim.url));
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
  });

  it('makes one Verigator call for a burst of checks within maxAge', async () => {
    const health = app.get(VerigatorHealthIndicator);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => health.isHealthy('verigator')),
    );
    for (let i = 0; i < 20; i++) await health.isHealthy('other');
    expect(results.every((r) => r.verigator.status === 'up')).toBe(true);
    expect(sim.requests()).toHaveLength(1);
    await health.isHealthy('verigator', { maxAge: 0 });
    expect(sim.requests()).toHaveLength(2);
  });
});
