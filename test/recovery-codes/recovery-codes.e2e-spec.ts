import { Controller, Get, INestApplication, Post, Req, UseGuards } from '@nestjs/common';
import Redis, { Cluster } from 'ioredis';
import request from 'supertest';
import {
  AuthMethod,
  InMemoryRecoveryCodeStore,
  RecoveryCodeStore,
  RecoveryCodesService,
  RedisRecoveryCodeStore,
  RedisTwoFactorStore,
  RequireTwoFactor,
  TwoFactorStoreError,
  VerigatorEvent,
  VerigatorModuleOptions,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import {
  ADAPTERS,
  AdapterFactory,
  CapturingLogger,
  FakeLoginGuard,
  SERVICE_ID,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';
import { describeWithRedisAndCluster } from '../utils/redis-server';

const USER = 'user-alice';
const ALICE = { id: USER, username: 'alice@example.com', phoneNumber: '+3725555555' };
const SECRET = 'recovery-secret-of-at-least-32-characters';
const WRONG = 'AAAA-AAAA-AAAA-AAAA';

@Controller('account')
@UseGuards(FakeLoginGuard)
class AccountController {
  constructor(private readonly recoveryCodes: RecoveryCodesService) {}

  @RequireTwoFactor()
  @Post('transfers')
  transfer() {
    return { status: 'sent' };
  }

  /** New codes need a fresh second factor: a recovery code does not do. */
  @RequireTwoFactor({ recoveryCodes: false })
  @Post('recovery-codes')
  async newCodes(@Req() req: { user: { verigatorId: string } }) {
    return { codes: await this.recoveryCodes.generate(req.user.verigatorId) };
  }
}

/** Routes that remember a success for a minute (`maxAge`), by SMS and by TOTP. */
@Controller('session')
@UseGuards(FakeLoginGuard)
class SessionController {
  @RequireTwoFactor({ maxAge: 60_000 })
  @Get('balance')
  balance() {
    return { balance: 100 };
  }

  @RequireTwoFactor({ maxAge: 60_000 })
  @Get('statements')
  statements() {
    return { statements: [] };
  }

  @RequireTwoFactor({ method: AuthMethod.TOTP, maxAge: 60_000 })
  @Get('keys')
  keys() {
    return { keys: [] };
  }
}

/** Calls that reached the simulator's auth endpoint (initiate: SMS; verify). */
const authCalls = (sim: VerigatorSimulator) =>
  sim.requests().filter((r) => r.path.endsWith('/auth')).length;

describe.each(ADAPTERS)('recovery codes (%s, in-memory stores)', (_name, adapter) => {
  let sim: VerigatorSimulator;
  let app: INestApplication | undefined;
  let logger: CapturingLogger;
  let events: VerigatorEvent[];

  beforeAll(async () => {
    sim = await startSimulator({ users: [ALICE] });
  });
  afterAll(() => sim.close());
  afterEach(async () => {
    await app?.close();
    app = undefined;
    sim.reset();
  });

  async function boot(options: Partial<VerigatorModuleOptions> = {}) {
    events = [];
    ({ app, logger } = await createVerigatorApp(
      sim.url,
      {
        twoFactor: {
          recoveryCodes: { store: new InMemoryRecoveryCodeStore(), secrets: { v1: SECRET } },
        },
        onEvent: (event) => void events.push(event),
        ...options,
      },
      {
        adapter,
        controllers: [AccountController, SessionController],
        providers: [FakeLoginGuard],
      },
    ));
    return () => request(app!.getHttpServer());
  }

  const transfer = (http: () => request.Agent, code?: string) => {
    const req = http().post('/account/transfers').set('x-user', USER);
    return code === undefined ? req : req.set('x-verigator-recovery-code', code);
  };

  it('makes codes behind a fresh code; each then passes a transfer once, sending no SMS', async () => {
    const http = await boot();
    const asked = await http().post('/account/recovery-codes').set('x-user', USER).expect(401);
    expect(asked.body.code).toBe('TWO_FACTOR_REQUIRED');
    const made = await http()
      .post('/account/recovery-codes')
      .set('x-user', USER)
      .set('x-verigator-token', sim.lastCode(USER)!)
      .expect(201);
    const codes: string[] = made.body.codes;
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    const calls = authCalls(sim);
    events = [];
    const typed = ` ${codes[3].toLowerCase().replace(/-/g, ' ')} `;
    expect((await transfer(http, typed).expect(201)).body).toEqual({ status: 'sent' });
    expect(await app!.get(RecoveryCodesService).remaining(USER)).toBe(9);
    const again = await transfer(http, codes[3]).expect(401);
    expect(again.body).toMatchObject({ code: 'TWO_FACTOR_INVALID', statusCode: 401 });
    expect(authCalls(sim)).toBe(calls);
    expect(sim.messages()).toHaveLength(1);

    expect(events.map((e) => [e.type, 'reason' in e ? e.reason : undefined])).toEqual([
      ['recoveryCode', undefined],
      ['failed', 'invalidRecoveryCode'],
    ]);
    expect(events[0]).toMatchObject({ userId: USER, outcome: 'passed', route: expect.any(String) });
    const seen = JSON.stringify(events) + logger.text();
    for (const code of codes) expect(seen).not.toContain(code.slice(5, 9));
  });

  describe('on a route with maxAge', () => {
    const read = (http: () => request.Agent, path: string, code?: string) => {
      const req = http().get(`/session/${path}`).set('x-user', USER);
      return code === undefined ? req : req.set('x-verigator-recovery-code', code);
    };
    const decisions = () => events.filter((e) => e.type !== 'call').map((e) => e.type);
    /** Boots with recovery codes and these other `twoFactor` options. */
    const bootWith = (twoFactor: VerigatorModuleOptions['twoFactor']) =>
      boot({
        twoFactor: {
          recoveryCodes: { store: new InMemoryRecoveryCodeStore(), secrets: { v1: SECRET } },
          ...twoFactor,
        },
      });

    it("remembers a recovery code as a verified code of the route's method: no device, no SMS", async () => {
      const http = await bootWith({ trustedDevices: { transport: 'header' } });
      const [code] = await app!.get(RecoveryCodesService).generate(USER);

      const used = await read(http, 'balance', code).set('x-verigator-remember-device', 'true');
      expect([used.status, used.body]).toEqual([200, { balance: 100 }]);
      expect(used.headers['x-verigator-device-token']).toBeUndefined();
      expect((await read(http, 'balance').expect(200)).body).toEqual({ balance: 100 });
      expect((await read(http, 'statements').expect(200)).body).toEqual({ statements: [] });
      expect(await app!.get(RecoveryCodesService).remaining(USER)).toBe(9);
      expect([authCalls(sim), sim.messages().length]).toEqual([0, 0]);
      expect(decisions()).toEqual(['recoveryCode', 'remembered', 'remembered']);

      // An SMS-route success does not pass a TOTP route, nor a route without maxAge.
      expect((await read(http, 'keys').expect(401)).body.code).toBe('TWO_FACTOR_REQUIRED');
      expect((await transfer(http).expect(401)).body.code).toBe('TWO_FACTOR_REQUIRED');
    });

    it('counts a code on a TOTP route as TOTP, which passes SMS routes too', async () => {
      const http = await boot();
      const [code] = await app!.get(RecoveryCodesService).generate(USER);
      expect((await read(http, 'keys', code).expect(200)).body).toEqual({ keys: [] });
      await read(http, 'keys').expect(200);
      await read(http, 'balance').expect(200);
      expect(decisions()).toEqual(['recoveryCode', 'remembered', 'remembered']);
      expect(authCalls(sim)).toBe(0);
    });

    it('asks again where the route has no maxAge', async () => {
      const http = await boot();
      const [code] = await app!.get(RecoveryCodesService).generate(USER);
      await transfer(http, code).expect(201);
      expect((await transfer(http).expect(401)).body.code).toBe('TWO_FACTOR_REQUIRED');
    });

    it('does not let it pass a route that takes no recovery code, even within maxAge', async () => {
      const http = await bootWith({ maxAge: 60_000 });
      const [code] = await app!.get(RecoveryCodesService).generate(USER);
      await transfer(http, code).expect(201);
      await transfer(http).expect(201);
      const asked = await http().post('/account/recovery-codes').set('x-user', USER).expect(401);
      expect(asked.body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(sim.messages()).toHaveLength(1);
    });

    it('binds the remembered code to the session key', async () => {
      const http = await bootWith({ sessionKey: (req) => req.headers['x-session'] });
      const [code] = await app!.get(RecoveryCodesService).generate(USER);
      await read(http, 'balance', code).set('x-session', 's-1').expect(200);
      const same = await read(http, 'balance').set('x-session', 's-1');
      const other = await read(http, 'balance').set('x-session', 's-2');
      const none = await read(http, 'balance');
      expect([same.status, other.status, none.status]).toEqual([200, 401, 401]);
    });
  });

  it('does not let a recovery code make new codes: that route sends an SMS instead', async () => {
    const http = await boot();
    const [code] = await app!.get(RecoveryCodesService).generate(USER);
    const res = await http()
      .post('/account/recovery-codes')
      .set('x-user', USER)
      .set('x-verigator-recovery-code', code)
      .expect(401);
    expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
    expect(sim.messages()).toHaveLength(1);
    expect(await app!.get(RecoveryCodesService).remaining(USER)).toBe(10);
  });

  it('locks the user out after five wrong codes; then a right code is refused, and kept', async () => {
    const http = await boot();
    const service = app!.get(RecoveryCodesService);
    const [code] = await service.generate(USER);
    for (let i = 0; i < 5; i++) {
      expect((await transfer(http, WRONG).expect(401)).body.code).toBe('TWO_FACTOR_INVALID');
    }
    const locked = await transfer(http, code).expect(429);
    expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(await service.remaining(USER)).toBe(10);
    // The same lockout as wrong tokens: no code is sent, no token is tried either.
    expect((await transfer(http).expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
    expect(authCalls(sim)).toBe(0);
    expect(events.filter((e) => e.type === 'lockedOut')).toHaveLength(2);
  });

  it('counts wrong tokens and wrong recovery codes toward one lockout', async () => {
    const http = await boot();
    const [code] = await app!.get(RecoveryCodesService).generate(USER);
    await transfer(http).expect(401); // sends a code
    for (let i = 0; i < 3; i++) {
      await transfer(http).set('x-verigator-token', '000000').expect(401);
    }
    await transfer(http, WRONG).expect(401);
    await transfer(http, WRONG).expect(401);
    expect((await transfer(http, code).expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
  });

  it('starts the count over after a right code, as after a right token', async () => {
    const http = await boot();
    const codes = await app!.get(RecoveryCodesService).generate(USER);
    for (let i = 0; i < 4; i++) await transfer(http, WRONG).expect(401);
    await transfer(http, codes[0]).expect(201);
    for (let i = 0; i < 4; i++) await transfer(http, WRONG).expect(401);
    await transfer(http, codes[1]).expect(201);
  });

  it('answers hostile codes with 401, never an error', async () => {
    const store = new InMemoryRecoveryCodeStore();
    const recoveryCodes = { store, secrets: { v1: SECRET } };
    const http = await boot({ twoFactor: { maxAttempts: 10, recoveryCodes } });
    await app!.get(RecoveryCodesService).generate(USER);
    const hostile = [
      'x'.repeat(8_000),
      '----------------',
      '0000-0000-0000-000\u00e9',
      '{"$ne":null}',
      '%00%00',
      'v1:AAAA',
    ];
    for (const code of hostile) {
      const res = await transfer(http, code);
      expect([res.status, res.body.code]).toEqual([401, 'TWO_FACTOR_INVALID']);
    }
    expect(await store.count({ serviceId: SERVICE_ID, userId: USER })).toBe(10);
  });

  it('ignores the header when recovery codes are off: the usual SMS goes out', async () => {
    const http = await boot({ twoFactor: {} });
    const res = await transfer(http, WRONG).expect(401);
    expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
    expect(sim.messages()).toHaveLength(1);
  });

  it('answers 503 when the recovery code store fails, and lets nobody through', async () => {
    const down = (): Promise<never> => Promise.reject(new TwoFactorStoreError('store down'));
    const store: RecoveryCodeStore = {
      replace: down,
      consume: down,
      count: down,
      list: down,
      clear: down,
    };
    const http = await boot({ twoFactor: { recoveryCodes: { store, secrets: { v1: SECRET } } } });
    const res = await transfer(http, WRONG).expect(503);
    expect(res.body.code).toBe('TWO_FACTOR_UNAVAILABLE');
  });
});

describeWithRedisAndCluster(
  'recovery codes on two app instances (Express, Fastify)',
  (redisServer) => {
    let sim: VerigatorSimulator;
    const running: { app: INestApplication; redis: Redis | Cluster }[] = [];

    beforeAll(async () => {
      [sim] = await Promise.all([startSimulator({ users: [ALICE] }), redisServer.start()]);
    });
    afterAll(async () => {
      await Promise.all([sim.close(), redisServer.stop()]);
    });
    afterEach(async () => {
      for (const { app, redis } of running.splice(0)) {
        await app.close();
        redis.disconnect();
      }
      sim.reset();
    });

    /** One instance per adapter, each with its own Redis client: request builders and services. */
    async function bootInstances() {
      const instances = [];
      for (const [, adapter] of ADAPTERS as readonly (readonly [string, AdapterFactory])[]) {
        const redis = redisServer.client({ disconnectTimeout: 50 });
        const { app } = await createVerigatorApp(
          sim.url,
          {
            timeout: 5_000,
            twoFactor: {
              store: new RedisTwoFactorStore(redis, { prefix: 'e2e:' }),
              recoveryCodes: {
                store: new RedisRecoveryCodeStore(redis, { prefix: 'e2e:' }),
                secrets: { v1: SECRET },
              },
            },
          },
          { adapter, controllers: [AccountController], providers: [FakeLoginGuard] },
        );
        running.push({ app, redis });
        instances.push({
          transfer: (code: string, user = USER) =>
            request(app.getHttpServer())
              .post('/account/transfers')
              .set('x-user', user)
              .set('x-verigator-recovery-code', code),
          codes: app.get(RecoveryCodesService),
        });
      }
      return instances;
    }

    it('lets exactly one of parallel uses of one code through, across both instances', async () => {
      const [a, b] = await bootInstances();
      const codes = await a.codes.generate(USER);
      expect(await b.codes.remaining(USER)).toBe(10);
      for (const code of codes.slice(0, 5)) {
        const answers = await Promise.all([a.transfer(code), b.transfer(code)]);
        expect(answers.map((r) => r.status).sort()).toEqual([201, 401]);
      }
      expect(await a.codes.remaining(USER)).toBe(5);
      await b.transfer(codes[0]).expect(401);
      await a.transfer(codes[5]).expect(201);
      expect(authCalls(sim)).toBe(0);
    });

    it('shares the lockout and the codes: five wrong codes on one lock out the other', async () => {
      const [a, b] = await bootInstances();
      const bob = 'user-bob';
      const [code] = await b.codes.generate(bob);
      for (let i = 0; i < 5; i++) await (i % 2 ? a : b).transfer(WRONG, bob).expect(401);
      expect((await a.transfer(code, bob).expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
      expect((await b.transfer(code, bob).expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
      await a.codes.clear(bob);
      expect(await b.codes.remaining(bob)).toBe(0);
    });
  },
);
