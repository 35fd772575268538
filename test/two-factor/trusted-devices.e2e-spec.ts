import { Controller, Delete, Get, INestApplication, Post, Req, UseGuards } from '@nestjs/common';
import Redis, { Cluster } from 'ioredis';
import { createHash } from 'node:crypto';
import request from 'supertest';
import {
  AuthMethod,
  InMemoryTwoFactorStore,
  RedisTwoFactorStore,
  RequireTwoFactor,
  TrustedDevicesService,
  VerigatorEvent,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { TwoFactorModuleOptions } from '../../lib/two-factor/two-factor-options.interface';
import { describeWithRedisAndCluster } from '../utils/redis-server';
import {
  ADAPTERS,
  AdapterFactory,
  FakeLoginGuard,
  SERVICE_ID,
  asUser,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

type Devices = NonNullable<TwoFactorModuleOptions['trustedDevices']>;
type Http = () => ReturnType<typeof request>;

const REMEMBER = { 'x-verigator-remember-device': 'true' };

@Controller('account')
@UseGuards(FakeLoginGuard)
class AccountController {
  constructor(private readonly devices: TrustedDevicesService) {}

  @RequireTwoFactor()
  @Post('transfer')
  transfer() {
    return { done: true };
  }

  @RequireTwoFactor({ method: AuthMethod.TOTP })
  @Post('totp')
  totp() {
    return { done: true };
  }

  @RequireTwoFactor({ trustedDevices: false })
  @Get('trusted-devices')
  list(@Req() req: { user: { verigatorId: string } }) {
    return this.devices.list(req.user.verigatorId);
  }

  @RequireTwoFactor({ trustedDevices: false })
  @Delete('trusted-devices')
  async revokeAll(@Req() req: { user: { verigatorId: string } }) {
    await this.devices.revokeAll(req.user.verigatorId);
    return { revoked: true };
  }
}

describe.each(ADAPTERS)(
  'Trusted devices (%s, in-memory store)',
  (_name, adapter: AdapterFactory) => {
    let sim: VerigatorSimulator;
    let app: INestApplication | undefined;
    let events: VerigatorEvent[];
    let clock: number;

    beforeAll(async () => {
      sim = await startSimulator();
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
      sim.reset();
    });
    afterAll(() => sim.close());

    async function boot(trustedDevices: Devices, twoFactor: TwoFactorModuleOptions = {}) {
      events = [];
      clock = Date.now();
      const store = new InMemoryTwoFactorStore({ now: () => clock });
      ({ app } = await createVerigatorApp(
        sim.url,
        {
          twoFactor: { trustedDevices, store, ...twoFactor },
          onEvent: (event) => void events.push(event),
        },
        { adapter, controllers: [AccountController] },
      ));
      return () => request(app!.getHttpServer());
    }

    const smsTo = (userId: string) => sim.messages({ userId }).length;
    const decisions = () => events.filter((event) => event.type !== 'call').map((e) => e.type);

    /** Verifies `user` on `path` with an SMS code, asking (or not) for the device to be trusted. */
    async function verify(
      http: Http,
      user: string,
      ask: { headers?: Record<string, string>; body?: object } = { headers: REMEMBER },
      path = '/account/transfer',
    ) {
      await asUser(http().post(path), user).expect(401);
      const req = asUser(http().post(path), user, { token: sim.lastCode(user)! }).set(
        ask.headers ?? {},
      );
      return (ask.body ? req.send(ask.body) : req).expect(201);
    }

    describe('header form', () => {
      it('trusts the device when asked, then lets it through without a code nor an SMS', async () => {
        const http = await boot({ transport: 'header' });
        const trusted = await verify(http, 'alice');
        const token: string = trusted.headers['x-verigator-device-token'];
        expect(token).toMatch(/^\d+\.[\w-]{43}$/);
        expect(trusted.headers['set-cookie']).toBeUndefined();
        expect(smsTo('alice')).toBe(1);

        const again = await asUser(http().post('/account/transfer'), 'alice', {
          deviceToken: token,
        }).expect(201);
        expect(again.body).toEqual({ done: true });
        expect(again.headers['x-verigator-device-token']).toBeUndefined();
        expect(smsTo('alice')).toBe(1);
        expect(decisions()).toEqual(['codeSent', 'verified', 'deviceTrusted', 'trustedDevice']);
        const trail = JSON.stringify(events);
        expect(trail).not.toContain(token.split('.')[1]);
        const hash = createHash('sha256').update(token.split('.')[1]).digest('base64url');
        expect(trail).not.toContain(hash);
      });

      it('issues nothing unless asked, nor on a route that demands a fresh code', async () => {
        const http = await boot({ transport: 'header' });
        const unasked = await verify(http, 'alice', {});
        expect(unasked.headers['x-verigator-device-token']).toBeUndefined();
        await asUser(http().get('/account/trusted-devices'), 'alice').expect(401);
        const fresh = await asUser(http().get('/account/trusted-devices'), 'alice', {
          token: sim.lastCode('alice')!,
        })
          .set(REMEMBER)
          .expect(200);
        expect(fresh.headers['x-verigator-device-token']).toBeUndefined();
        expect(fresh.body).toEqual([]);
      });

      it("answers another user's request carrying the token with a normal 401 and their own SMS", async () => {
        const http = await boot({ transport: 'header' });
        const token = (await verify(http, 'alice')).headers['x-verigator-device-token'];
        const res = await asUser(http().post('/account/transfer'), 'bob', {
          deviceToken: token,
        }).expect(401);
        expect(res.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
        expect(smsTo('bob')).toBe(1);
      });

      it('lets a TOTP route in only on a device trusted after a TOTP code', async () => {
        const http = await boot({ transport: 'header' });
        const bySms = (await verify(http, 'alice')).headers['x-verigator-device-token'];
        const totpRoute = () =>
          asUser(http().post('/account/totp'), 'alice', { deviceToken: bySms });
        expect((await totpRoute().expect(401)).body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED' });

        sim.enrolDevice(SERVICE_ID, 'alice');
        clock += 5 * 60_000; // the SMS code's lifetime: a TOTP route may verify again
        const byApp = await asUser(http().post('/account/totp'), 'alice', {
          token: sim.totp(SERVICE_ID, 'alice'),
        })
          .set('x-verigator-remember-device', 'true')
          .expect(201);
        const totpToken = byApp.headers['x-verigator-device-token'];
        for (const path of ['/account/totp', '/account/transfer']) {
          await asUser(http().post(path), 'alice', { deviceToken: totpToken }).expect(201);
        }
      });

      it('ignores unknown, malformed and expired tokens: no 5xx, and no lockout', async () => {
        const http = await boot({ transport: 'header', lifetime: 60_000 }, { maxAttempts: 1 });
        const token = (await verify(http, 'alice')).headers['x-verigator-device-token'];
        const hostile = [
          'garbage',
          `0.${'A'.repeat(43)}`,
          `99.${'A'.repeat(43)}`,
          `${token}x`,
          `${token.split('.')[0]}.${'B'.repeat(43)}`,
          '0.' + '\u00e9'.repeat(43),
          'x'.repeat(5_000),
        ];
        for (const bad of hostile) {
          const res = await asUser(http().post('/account/transfer'), 'alice', {
            deviceToken: bad,
          }).expect(401);
          expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
        }
        clock += 60_000;
        await asUser(http().post('/account/transfer'), 'alice', { deviceToken: token }).expect(401);
        // Not locked out (maxAttempts 1): the user's code still passes.
        await asUser(http().post('/account/transfer'), 'alice', {
          token: sim.lastCode('alice')!,
        }).expect(201);
      });

      it('lets a trusted device through while the user is locked out of guessing codes', async () => {
        const http = await boot({ transport: 'header' }, { maxAttempts: 1 });
        const token = (await verify(http, 'alice')).headers['x-verigator-device-token'];
        const guess = () => asUser(http().post('/account/transfer'), 'alice', { token: '000000' });
        await guess().expect(401);
        expect((await guess().expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
        await asUser(http().post('/account/transfer'), 'alice', { deviceToken: token }).expect(201);
      });

      it('stops trusting every device of the user on revokeAll, and lists them before', async () => {
        const http = await boot({ transport: 'header' });
        const first = (await verify(http, 'alice')).headers['x-verigator-device-token'];
        const second = (await verify(http, 'alice')).headers['x-verigator-device-token'];
        const bobs = (await verify(http, 'bob')).headers['x-verigator-device-token'];
        const service = app!.get(TrustedDevicesService);
        const listed = await service.list('alice');
        expect(listed).toEqual([
          expect.objectContaining({ method: 'sms', id: expect.any(String) }),
          expect.objectContaining({ method: 'sms', id: expect.any(String) }),
        ]);
        expect(await service.revoke('alice', listed[0].id)).toBe(true);
        const use = (user: string, token: string) =>
          asUser(http().post('/account/transfer'), user, { deviceToken: token });
        await use('alice', first).expect(401);
        await use('alice', second).expect(201);

        // Revoking all demands a fresh code, not the device.
        await asUser(http().delete('/account/trusted-devices'), 'alice', {
          deviceToken: second,
        }).expect(401);
        await asUser(http().delete('/account/trusted-devices'), 'alice', {
          token: sim.lastCode('alice')!,
        }).expect(200);
        await use('alice', second).expect(401);
        await use('bob', bobs).expect(201);
      });

      it('keeps at most maxPerUser devices, dropping the oldest', async () => {
        const http = await boot({ transport: 'header', maxPerUser: 2 });
        const tokens = [];
        for (let i = 0; i < 3; i++) {
          tokens.push((await verify(http, 'alice')).headers['x-verigator-device-token']);
        }
        const statuses = [];
        for (const token of tokens) {
          const res = await asUser(http().post('/account/transfer'), 'alice', {
            deviceToken: token,
          });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([401, 201, 201]);
      });
    });

    describe('cookie form', () => {
      const NAME = '__Host-verigator-device';
      const setCookie = (res: request.Response): string[] =>
        ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const tokenOf = (res: request.Response) => /=([^;]+);/.exec(setCookie(res)[0])![1];
      const withCookie = (http: Http, user: string, token: string) =>
        asUser(http().post('/account/transfer'), user).set('cookie', `a=1; ${NAME}=${token}`);

      it('sets a Secure HttpOnly SameSite=Lax host cookie when a form asks, read back same-origin', async () => {
        const http = await boot({ transport: 'cookie' });
        expect(setCookie(await verify(http, 'alice', {}))).toEqual([]);
        const trusted = await verify(http, 'alice', { body: { rememberDevice: true } });
        expect(setCookie(trusted)).toEqual([
          expect.stringMatching(
            new RegExp(
              `^${NAME}=\\d+\\.[\\w-]{43}; Max-Age=2592000; Path=/; Secure; HttpOnly; SameSite=Lax$`,
            ),
          ),
        ]);
        expect(trusted.headers['x-verigator-device-token']).toBeUndefined();
        const token = tokenOf(trusted);
        const sent = smsTo('alice');
        await withCookie(http, 'alice', token).set('sec-fetch-site', 'same-origin').expect(201);
        const plain = await withCookie(http, 'alice', token).expect(201);
        expect(setCookie(plain)).toEqual([]);
        expect(smsTo('alice')).toBe(sent);
        // The header form is not read in the cookie form.
        await asUser(http().post('/account/transfer'), 'alice', { deviceToken: token }).expect(401);
      });

      it.each(['same-site', 'cross-site', 'none'])(
        'refuses the cookie on a %s request, leaving it in place',
        async (site) => {
          const http = await boot({ transport: 'cookie' });
          const token = tokenOf(await verify(http, 'alice', { headers: REMEMBER }));
          const res = await withCookie(http, 'alice', token)
            .set('sec-fetch-site', site)
            .expect(401);
          expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
          expect(setCookie(res)).toEqual([]);
        },
      );

      it("clears a cookie that finds no device: unknown, revoked, or another user's", async () => {
        const http = await boot({ transport: 'cookie' });
        const token = tokenOf(await verify(http, 'alice', { headers: REMEMBER }));
        const cleared = [`${NAME}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`];
        const stale = await withCookie(http, 'alice', `0.${'A'.repeat(43)}`).expect(401);
        expect(setCookie(stale)).toEqual(cleared);
        const other = await withCookie(http, 'bob', token).expect(401);
        expect(other.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
        expect(setCookie(other)).toEqual(cleared);
        expect(smsTo('bob')).toBe(1);
        await withCookie(http, 'alice', token).expect(201);
        await app!.get(TrustedDevicesService).revokeAll('alice');
        expect(setCookie(await withCookie(http, 'alice', token).expect(401))).toEqual(cleared);
      });
    });
  },
);

/** Two app instances (Express and Fastify), each with its own client, sharing one Redis. */
describeWithRedisAndCluster('Trusted devices on Redis, two instances', (redisServer) => {
  let sim: VerigatorSimulator;
  const running: { app: INestApplication; redis: Redis | Cluster }[] = [];

  beforeAll(async () => {
    [sim] = await Promise.all([startSimulator(), redisServer.start()]);
  });
  afterEach(async () => {
    for (const { app, redis } of running.splice(0)) {
      await app.close();
      redis.disconnect();
    }
    sim.reset();
  });
  afterAll(() => Promise.all([redisServer.stop(), sim.close()]));

  async function bootInstances(trustedDevices: Devices) {
    const instances = [];
    for (const [, adapter] of ADAPTERS) {
      const redis = redisServer.client({ disconnectTimeout: 50 });
      const store = new RedisTwoFactorStore(redis, { prefix: 'e2e:' });
      const { app } = await createVerigatorApp(
        sim.url,
        { twoFactor: { trustedDevices, store } },
        { adapter, controllers: [AccountController] },
      );
      running.push({ app, redis });
      instances.push({ app, http: () => request(app.getHttpServer()) });
    }
    return instances;
  }

  it('trusts a device on one instance for the other, until revokeAll on either', async () => {
    const [a, b] = await bootInstances({ transport: 'header', maxPerUser: 2 });
    await asUser(a.http().post('/account/transfer'), 'alice').expect(401);
    const trusted = await asUser(a.http().post('/account/transfer'), 'alice', {
      token: sim.lastCode('alice')!,
    })
      .set(REMEMBER)
      .expect(201);
    const token = trusted.headers['x-verigator-device-token'];
    const use = (instance: typeof a, user = 'alice') =>
      asUser(instance.http().post('/account/transfer'), user, { deviceToken: token });
    await use(b).expect(201);
    expect(sim.messages({ userId: 'alice' })).toHaveLength(1);
    expect(await b.app.get(TrustedDevicesService).list('alice')).toHaveLength(1);
    await use(b, 'bob').expect(401);
    expect(sim.messages({ userId: 'bob' })).toHaveLength(1);

    await a.app.get(TrustedDevicesService).revokeAll('alice');
    const refused = await use(b).expect(401);
    expect(refused.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
    expect(sim.messages({ userId: 'alice' })).toHaveLength(2);
    expect(await b.app.get(TrustedDevicesService).list('alice')).toEqual([]);
  });
});
