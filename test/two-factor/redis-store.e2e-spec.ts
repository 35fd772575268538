import { once } from 'node:events';
import { INestApplication, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import Redis, { Cluster } from 'ioredis';
import request from 'supertest';
import { RedisTwoFactorStore, VerigatorEvent } from '../../lib';
import { TwoFactorModuleOptions } from '../../lib/two-factor/two-factor-options.interface';
import { describeWithRedisAndCluster, everyKey } from '../utils/redis-server';
import { until } from '../utils/until';
import { VerigatorSimulator } from '../../lib/testing';
import {
  ADAPTERS,
  AccountController,
  CapturingLogger,
  FakeLoginGuard,
  SERVICE_ID,
  asUser,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import {
  VALID_TOKEN,
  failEveryRequest,
  initiates,
  startSimulator,
  verifies,
} from '../utils/simulator';

/** Paces background traffic, so that it leaves the CPU to the rest; nothing waits on it. */
const pace = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the ioredis client is connected and ready for commands again. */
function ready(redis: Redis | Cluster): Promise<void> {
  return redis.status === 'ready' ? Promise.resolve() : once(redis, 'ready').then(() => undefined);
}

/** Two app instances (Express and Fastify), each with its own client, sharing one Redis. */
describeWithRedisAndCluster('TwoFactorGuard on Redis, two instances', (redisServer) => {
  let sim: VerigatorSimulator;
  const running: { app: INestApplication; redis: Redis | Cluster }[] = [];
  let logs: CapturingLogger[] = [];

  beforeAll(async () => {
    [sim] = await Promise.all([startSimulator(), redisServer.start()]);
  });
  afterAll(async () => {
    await Promise.all([redisServer.stop(), sim.close()]);
  });
  beforeEach(async () => {
    sim.reset();
    await redisServer.flushAll();
  });
  afterEach(async () => {
    for (const { app, redis } of running.splice(0)) {
      await app.close();
      redis.disconnect();
    }
    logs = [];
  });

  /** Boots one instance per adapter; resolves to a request builder for each. */
  async function bootInstances(
    twoFactor: TwoFactorModuleOptions = {},
    commandTimeout = 500,
    onEvent?: (event: VerigatorEvent) => void,
  ) {
    const instances = [];
    for (const [, adapter] of ADAPTERS) {
      const redis = redisServer.client({ disconnectTimeout: 50 });
      const store = new RedisTwoFactorStore(redis, {
        prefix: 'e2e:',
        hashUserIds: { secret: 'test-secret' },
        commandTimeout,
      });
      const providers: Provider[] = [{ provide: APP_GUARD, useClass: FakeLoginGuard }];
      const { app, logger } = await createVerigatorApp(
        sim.url,
        // A loaded machine answers 50 parallel requests slower than the default test timeout (1 s).
        { timeout: 5_000, twoFactor: { ...twoFactor, store }, onEvent },
        { adapter, controllers: [AccountController], providers },
      );
      running.push({ app, redis });
      logs.push(logger);
      instances.push(() => request(app.getHttpServer()));
    }
    return instances;
  }

  it('stops 50 parallel guesses split across both instances at maxAttempts in total', async () => {
    const [a, b] = await bootInstances({ maxAttempts: 5 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b)()
          .post('/account/transfer')
          .set('x-user', 'mallory')
          .set('x-verigator-token', String(100_000 + i)),
      ),
    );
    expect(verifies(sim)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(45);
    for (const locked of answers.filter((r) => r.status === 429)) {
      expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('sends one SMS for 50 parallel token-less requests split across both instances', async () => {
    const [a, b] = await bootInstances();
    sim.injectFault({ method: 'POST', path: '/**/auth', delayMs: 100, times: 100 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b)().post('/account/transfer').set('x-user', 'alice'),
      ),
    );
    expect(initiates(sim)).toHaveLength(1);
    expect(answers.map((r) => [r.status, r.body.code, r.body.method])).toEqual(
      Array(50).fill([401, 'TWO_FACTOR_REQUIRED', 'sms']),
    );
  });

  it('honours on one instance a success remembered (maxAge) by the other', async () => {
    const [a, b] = await bootInstances();
    const verified = await asUser(a().post('/account/remembered'), 'alice', { token: VALID_TOKEN });
    expect(verified.status).toBe(201);
    const remembered = await asUser(b().post('/account/remembered'), 'alice');
    expect(remembered.status).toBe(201);
    const otherUser = await asUser(b().post('/account/remembered'), 'bob');
    expect(otherUser.body.code).toBe('TWO_FACTOR_REQUIRED');
    expect(verifies(sim)).toHaveLength(1);
  });

  it("keeps a route's method across instances: a pending SMS, per-method cooldowns, ranked successes", async () => {
    const [a, b] = await bootInstances();
    sim.enrolDevice(SERVICE_ID, 'alice');
    expect((await asUser(a().post('/account/transfer'), 'alice')).body.method).toBe('sms');
    const pending = await asUser(b().post('/account/totp'), 'alice', { token: VALID_TOKEN });
    expect(pending.body.code).toBe('TWO_FACTOR_SMS_PENDING');
    expect(Number(pending.headers['retry-after'])).toBeGreaterThan(0);
    expect((await asUser(b().post('/account/totp'), 'alice')).body.method).toBe('totp');
    expect(initiates(sim).map((r) => r.body.method)).toEqual(['sms', 'totp']);

    const viaSms = await asUser(a().post('/account/remembered'), 'alice', { token: VALID_TOKEN });
    expect(viaSms.status).toBe(201);
    const notTotp = await asUser(b().post('/account/totp'), 'alice');
    expect(notTotp.body.code).toBe('TWO_FACTOR_REQUIRED');
    const viaApp = await asUser(b().post('/account/totp'), 'alice', { token: VALID_TOKEN });
    expect(viaApp.status).toBe(201);
    expect((await asUser(a().post('/account/totp'), 'alice')).status).toBe(201);
    expect(verifies(sim)).toHaveLength(2);
  });

  it('stores neither tokens nor user ids in Redis, and gives every key a TTL', async () => {
    const [a, b] = await bootInstances();
    const user = 'carol@example.com';
    await asUser(a().post('/account/transfer'), user);
    await asUser(b().post('/account/transfer'), user, { token: '987654' });
    await asUser(a().post('/account/remembered'), user, { token: VALID_TOKEN });
    await asUser(b().post('/account/transfer'), user, { token: '876543' });
    const [{ redis: admin }] = running;
    const keys = await everyKey(admin);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const stored = [];
    for (const key of keys) {
      stored.push(key, String(await admin.get(key)));
      expect(await admin.pttl(key)).toBeGreaterThan(0);
      expect(key.startsWith('e2e:verigator-2fa:')).toBe(true);
    }
    const text = stored.join('\n');
    for (const secret of ['987654', '876543', VALID_TOKEN, 'carol', encodeURIComponent(user)]) {
      expect(text).not.toContain(secret);
    }
  });

  it('fails closed with 503 while Redis is down, even with failOpen, and recovers after', async () => {
    const instances = await bootInstances({ failOpen: true, maxAttempts: 3 });
    const [a, b] = instances;
    const attempt = (http: typeof a, user: string, token?: string) => {
      const req = http().post('/account/transfer').set('x-user', user);
      return token === undefined ? req : req.set('x-verigator-token', token);
    };
    expect((await attempt(a, 'alice', VALID_TOKEN)).status).toBe(201);

    // Background traffic without a valid token on both instances, through the whole run.
    const WORKERS = 4;
    let stop = false;
    let redisDown = false;
    const refusedInOutage = new Set<number>(); // workers answered 503 since Redis went down
    const unauthorised: { status: number; code?: string }[] = [];
    const traffic = Promise.all(
      Array.from({ length: WORKERS }, async (_, worker) => {
        for (let i = 0; !stop; i++) {
          const res = await attempt(
            instances[(worker + i) % 2],
            'mallory',
            i % 2 ? '111111' : undefined,
          );
          unauthorised.push({ status: res.status, code: res.body.code });
          if (redisDown && res.body.code === 'TWO_FACTOR_UNAVAILABLE') refusedInOutage.add(worker);
          await pace(5);
        }
      }),
    );
    try {
      await until(() => unauthorised.length >= WORKERS, 'every worker has had an answer');
      await redisServer.kill();
      redisDown = true;
      failEveryRequest(sim, { reset: true }); // Verigator down too: failOpen must still not open
      // Once every worker has been refused, no request from before the outage is in flight.
      await until(
        () => refusedInOutage.size === WORKERS,
        () => `every worker refused with 503 (${refusedInOutage.size} of ${WORKERS})`,
        { within: 10_000 },
      );
      const seenByVerigator = sim.requests().length;
      for (const http of [a, b]) {
        for (const token of [VALID_TOKEN, '222222', undefined]) {
          const res = await attempt(http, 'alice', token);
          expect(res.status).toBe(503);
          expect(res.body).toEqual({
            statusCode: 503,
            error: 'Service Unavailable',
            code: 'TWO_FACTOR_UNAVAILABLE',
            message: 'Two-factor authentication is temporarily unavailable; try again later',
          });
        }
      }
      expect(sim.requests()).toHaveLength(seenByVerigator);

      // Verigator first: with failOpen, a store back before Verigator lets requests through.
      sim.clearFaults();
      await redisServer.start();
      await Promise.all(running.map(({ redis }) => ready(redis)));
      for (const http of instances) {
        expect((await attempt(http, 'alice', VALID_TOKEN)).status).toBe(201);
      }
    } finally {
      stop = true;
      await traffic;
    }

    expect(unauthorised.filter((r) => r.status < 300)).toEqual([]);
    for (const r of unauthorised.filter((res) => res.status >= 500)) {
      expect(r).toEqual({ status: 503, code: 'TWO_FACTOR_UNAVAILABLE' });
    }
    const sent = initiates(sim).length;
    expect((await attempt(b, 'dave')).body.code).toBe('TWO_FACTOR_REQUIRED');
    expect(initiates(sim)).toHaveLength(sent + 1);
    expect(logs.map((l) => l.text('error')).join()).toContain('TwoFactorStore failed');
  });

  it('answers 503 after commandTimeout while Redis hangs, and recovers when it answers', async () => {
    const events: VerigatorEvent[] = [];
    const [a] = await bootInstances({}, 200, (event) => events.push(event));
    redisServer.pause();
    try {
      // Redis answers nothing until resume(): an answer at all is the command timeout at work.
      const res = await a().post('/account/transfer').set('x-user', 'alice');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('TWO_FACTOR_UNAVAILABLE');
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'storeUnavailable',
          outcome: 'refused',
          userId: 'alice',
        }),
      );
    } finally {
      redisServer.resume();
    }
    const res = await a().post('/account/transfer').set('x-user', 'alice');
    expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
  });
});
