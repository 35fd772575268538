import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ServicesService, VerigatorHealthIndicator, VerigatorModuleOptions } from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { RecordingServer, closedPortUrl } from '../utils/recording-server';
import { TEST_PASSWORD, TEST_USERNAME } from '../utils/create-verigator-app';
import { HealthAppModule } from './app.module';

describe('VerigatorHealthIndicator with @nestjs/terminus', () => {
  let sim: VerigatorSimulator;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({
      username: TEST_USERNAME,
      password: TEST_PASSWORD,
      seed: { services: [{ id: 'svc', name: 'Shop', fqdn: 'shop.example' }] },
    });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    sim.reset();
  });
  afterAll(() => sim.close());

  async function health(options: Partial<VerigatorModuleOptions>): Promise<request.Response> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthAppModule.forRoot({
          username: TEST_USERNAME,
          password: TEST_PASSWORD,
          endpoint: sim.url,
          ...options,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return request(app.getHttpServer()).get('/health');
  }

  function expectNoSecrets(res: request.Response): void {
    expect(res.text).not.toContain(TEST_PASSWORD);
    expect(res.text).not.toContain('wrong-password');
  }

  it('is up when the configured service answers 200, with one cheap call', async () => {
    const res = await health({ serviceId: 'svc' });
    expect(res.status).toBe(200);
    expect(res.body.info.verigator).toEqual({
      status: 'up',
      circuits: [{ endpoint: sim.url, state: 'closed' }],
    });
    expect(sim.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/service/service/svc',
    ]);
  });

  it('is up without a serviceId when the probe id answers 404 (credentials accepted)', async () => {
    const res = await health({});
    expect(res.status).toBe(200);
    expect(res.body.info.verigator.status).toBe('up');
    expect(sim.requests()[0].path).toBe('/v1/service/service/nestjs-verigator-health-probe');
  });

  it.each([
    ['credentials rejected', 'WRONG_CREDENTIALS', { password: 'wrong-password' }],
    ['credentials rejected', 'WRONG_CREDENTIALS', { password: 'wrong-password', serviceId: 'svc' }],
    ['service not found', 'NO_SUCH_RESOURCE', { serviceId: 'gone' }],
  ])('is down (%s) for %s', async (reason, code, options) => {
    const res = await health(options);
    expect(res.status).toBe(503);
    expect(res.body.error.verigator).toEqual({
      status: 'down',
      reason,
      code,
      circuits: [{ endpoint: sim.url, state: 'closed' }],
    });
    expectNoSecrets(res);
  });

  it('is down (unreachable) when nothing listens', async () => {
    const endpoint = await closedPortUrl();
    const res = await health({ endpoint });
    expect(res.status).toBe(503);
    expect(res.body.error.verigator).toMatchObject({
      reason: 'unreachable',
      code: 'CONNECTION_ERROR',
      host: new URL(endpoint).host,
    });
  });

  it('is down (timeout) within its short timeout, not the module one', async () => {
    const hanging = await new RecordingServer().replyByDefault({ hang: true }).start();
    try {
      const started = Date.now();
      const res = await health({ endpoint: hanging.url, timeout: 30_000 });
      expect(res.status).toBe(503);
      expect(res.body.error.verigator).toMatchObject({
        reason: 'timeout',
        code: 'REQUEST_TIMEOUT',
        host: new URL(hanging.url).host,
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(hanging.requests).toHaveLength(1);
    } finally {
      await hanging.close();
    }
  });

  it('reports each circuit as real calls left it, and probes outside the breaker', async () => {
    await health({
      serviceId: 'svc',
      retries: 0,
      circuitBreaker: { threshold: 1, halfOpenAfter: 60_000 },
    });
    // A real call meets an outage and opens the circuit; probes still reach Verigator.
    sim.injectFault({ status: 503, times: 1 });
    await expect(app!.get(ServicesService).get('svc')).rejects.toMatchObject({ statusCode: 503 });
    const indicator = app!.get(VerigatorHealthIndicator);
    await expect(indicator.isHealthy('verigator', { maxAge: 0 })).resolves.toEqual({
      verigator: { status: 'up', circuits: [{ endpoint: sim.url, state: 'open' }] },
    });
    sim.injectFault({ status: 503, times: 1 });
    await expect(indicator.isHealthy('verigator', { maxAge: 0 })).resolves.toEqual({
      verigator: {
        status: 'down',
        reason: 'unexpected answer',
        code: 'INTERNAL_ERROR',
        circuits: [{ endpoint: sim.url, state: 'open' }],
      },
    });
    expect(sim.requests().map((r) => r.path)).toHaveLength(4);
  });
});
