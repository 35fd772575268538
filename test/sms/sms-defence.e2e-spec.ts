import { Body, Controller, INestApplication, Post, UseGuards } from '@nestjs/common';
import Redis, { Cluster } from 'ioredis';
import request from 'supertest';
import {
  AuthMethod,
  AuthService,
  CreateUserDto,
  RateLimitedError,
  RedisTwoFactorStore,
  RequireTwoFactor,
  SmsRefusedError,
  UsersService,
  VerigatorEvent,
  VerigatorModuleOptions,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import {
  ADAPTERS,
  AdapterFactory,
  FakeLoginGuard,
  SERVICE_ID as SERVICE,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { describeWithRedisAndCluster, everyKey } from '../utils/redis-server';
import { initiates, startSimulator } from '../utils/simulator';

@Controller()
class AppController {
  constructor(private readonly users: UsersService) {}

  /** Sign-up, as an app would write it: the user's id is what the guard reads later. */
  @Post('signup')
  async signup(@Body() body: CreateUserDto) {
    const { id } = await this.users.create(SERVICE, body);
    return { id };
  }

  @Post('account/transfer')
  @UseGuards(FakeLoginGuard)
  @RequireTwoFactor()
  transfer() {
    return { status: 'sent' };
  }

  @Post('account/totp')
  @UseGuards(FakeLoginGuard)
  @RequireTwoFactor({ method: AuthMethod.TOTP })
  totp() {
    return { status: 'sent' };
  }
}

type Sms = NonNullable<VerigatorModuleOptions['sms']>;

/** An Estonian mobile number: `+372` `prefix` and five digits (the 6-digit prefix `372<prefix>`). */
const eePhone = (i: number, prefix = '555') => `+372${prefix}${String(i).padStart(5, '0')}`;

/** Signs a user up through the app's `POST /signup`; answers the new user's id. */
async function signUp(
  http: () => ReturnType<typeof request>,
  username: string,
  phoneNumber: string,
): Promise<string> {
  return (await http().post('/signup').send({ username, phoneNumber })).body.id as string;
}

describe.each(ADAPTERS)('SMS pumping defences (%s, in-memory store)', (_name, adapter) => {
  let sim: VerigatorSimulator;
  let app: INestApplication | undefined;
  let events: VerigatorEvent[];

  beforeAll(async () => {
    sim = await startSimulator({
      seed: {
        services: [
          {
            id: SERVICE,
            name: 'Shop',
            fqdn: 'shop.example',
            users: [{ id: 'lv-user', username: 'lv', phoneNumber: '+37120000001' }],
          },
        ],
      },
    });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    sim.reset();
  });
  afterAll(() => sim.close());

  async function boot(sms: Sms) {
    events = [];
    ({ app } = await createVerigatorApp(
      sim.url,
      { sms, onEvent: (e) => void events.push(e) },
      { adapter, controllers: [AppController] },
    ));
    return () => request(app!.getHttpServer());
  }

  const signups = () =>
    sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/users'));
  const smsEvents = () => events.filter((e) => e.type.startsWith('sms'));

  it('refuses a sign-up outside allowedCountries naming the field, sending nothing', async () => {
    const http = await boot({ allowedCountries: ['EE'] });
    for (const phoneNumber of ['+37120000002', '+371 2000 0002', '+1 202 555 0143']) {
      const res = await http().post('/signup').send({ username: 'x', phoneNumber }).expect(400);
      expect(res.body.code).toBe('INVALID_DATA');
      expect(res.body.fields).toEqual([
        { field: 'phoneNumber', messages: ['phoneNumber must be in a country SMS may be sent to'] },
      ]);
    }
    expect(signups()).toHaveLength(0);
    // However it is written, an allowed number passes.
    await http()
      .post('/signup')
      .send({ username: 'ee', phoneNumber: '+372 5550-0001' })
      .expect(201);
    expect(signups()).toHaveLength(1);
  });

  it('refuses to send to a number outside the list (phoneNumberOf) in the guard and in AuthService', async () => {
    const http = await boot({
      allowedCountries: ['EE'],
      phoneNumberOf: (_service, user) => (user === 'lv-user' ? '+371 2000 0001' : undefined),
    });
    const res = await http().post('/account/transfer').set('x-user', 'lv-user').expect(403);
    expect(res.body).toMatchObject({ code: 'SMS_NOT_ALLOWED', statusCode: 403 });
    expect(res.text).not.toContain('2000');
    const direct = app!.get(AuthService).initiate(SERVICE, 'lv-user', AuthMethod.SMS);
    await expect(direct).rejects.toBeInstanceOf(SmsRefusedError);
    await expect(direct).rejects.toMatchObject({ code: 'SMS_NOT_ALLOWED' });
    expect(initiates(sim)).toHaveLength(0);
    expect(sim.messages()).toHaveLength(0);
    expect(smsEvents()).toEqual([
      expect.objectContaining({
        type: 'smsRefused',
        reason: 'country',
        country: 'LV',
        prefix: '371200',
        userId: 'lv-user',
      }),
      expect.objectContaining({ type: 'smsRefused', reason: 'country', country: 'LV' }),
    ]);
    expect(JSON.stringify(events)).not.toContain('37120000001');
  });

  it('with unknownNumbers "refuse", sends nothing to a user whose number is unknown', async () => {
    const http = await boot({ unknownNumbers: 'refuse' });
    const res = await http().post('/account/transfer').set('x-user', 'lv-user').expect(403);
    expect(res.body.code).toBe('SMS_NOT_ALLOWED');
    expect(initiates(sim)).toHaveLength(0);
    expect(smsEvents()).toEqual([expect.objectContaining({ reason: 'unknownNumber' })]);
  });

  it('stops a flood of new users at the app-wide budget, keeping the reserve for verified users', async () => {
    const http = await boot({ budget: { max: 10, window: 60_000, reservedForVerified: 0.3 } });
    // A user who verified before the flood.
    const known = await signUp(http, 'known', eePhone(0));
    await http().post('/account/transfer').set('x-user', known).expect(401);
    await http()
      .post('/account/transfer')
      .set('x-user', known)
      .set('x-verigator-token', sim.lastCode(known)!)
      .expect(201);
    // The flood: 20 new accounts, one token-less request each.
    const ids: string[] = [];
    for (let i = 1; i <= 20; i++) {
      ids.push(await signUp(http, `bot${i}`, eePhone(i)));
    }
    const answers = await Promise.all(
      ids.map((id) => http().post('/account/transfer').set('x-user', id)),
    );
    // 7 = 10 - 30% reserved; the known user's SMS used one of them.
    expect(answers.filter((r) => r.status === 401)).toHaveLength(6);
    const limited = answers.filter((r) => r.status === 429);
    expect(limited).toHaveLength(14);
    for (const r of limited) {
      expect(r.body.code).toBe('SMS_LIMITED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(sim.messages()).toHaveLength(7);
    // The verified user still gets a code from the reserve.
    await http().post('/account/transfer').set('x-user', known).expect(401);
    expect(sim.messages()).toHaveLength(8);
    expect(smsEvents().filter((e) => e.type === 'smsBudgetExhausted')).toEqual([
      expect.objectContaining({ max: 10, windowMs: 60_000 }),
    ]);
    expect(smsEvents().filter((e) => e.type === 'smsRefused')).toHaveLength(14);
  });

  it('stops a burst into one prefix while another prefix still gets codes', async () => {
    const http = await boot({ prefixBudget: { max: 3, window: 60_000 } });
    const signup = (i: number, prefix: string) =>
      signUp(http, `u${prefix}${i}`, eePhone(i, prefix));
    const burst = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => signup(i, '555')));
    const other = await signup(1, '566');
    const answers = await Promise.all(
      burst.map((id) => http().post('/account/transfer').set('x-user', id)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 401, 429, 429, 429]);
    await http().post('/account/transfer').set('x-user', other).expect(401);
    expect(sim.messages()).toHaveLength(4);
    expect(smsEvents()).toEqual(
      Array(3).fill(
        expect.objectContaining({
          type: 'smsRefused',
          reason: 'prefix',
          prefix: '372555',
          country: 'EE',
        }),
      ),
    );
  });

  it('a spent budget rejects AuthService.initiate with the RateLimitedError a 429 from Verigator gives', async () => {
    const http = await boot({ budget: { max: 1, window: 60_000, reservedForVerified: 0 } });
    const signup = (i: number) => signUp(http, `r${i}`, eePhone(i));
    const [first, second] = [await signup(1), await signup(2)];
    const auth = app!.get(AuthService);
    await auth.initiate(SERVICE, first, AuthMethod.SMS);
    const refused = auth.initiate(SERVICE, second, AuthMethod.SMS);
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    const error = (await refused.catch((e: unknown) => e)) as RateLimitedError;
    expect(error.code).toBe('SMS_LIMITED');
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
    expect(error.toJSON()).toMatchObject({ code: 'SMS_LIMITED', retryAfter: error.retryAfter });
    expect(sim.messages()).toHaveLength(1);
  });

  it('keeps TOTP working for users known to have the app once the budget is spent', async () => {
    const http = await boot({ budget: { max: 1, window: 60_000, reservedForVerified: 0 } });
    const appUser = await signUp(http, 'app', eePhone(1));
    const smsUser = await signUp(http, 'sms', eePhone(2));
    const newUser = await signUp(http, 'new', eePhone(3));
    sim.enrolDevice(SERVICE, appUser);
    // Verigator answers totp: nothing counted, and the library now knows the user has the app.
    const first = await http().post('/account/totp').set('x-user', appUser).expect(401);
    expect(first.body.method).toBe('totp');
    await http().post('/account/transfer').set('x-user', smsUser).expect(401); // the one SMS
    // A user not known to have the app: Verigator might text them, so the spent budget applies.
    const refused = await http().post('/account/totp').set('x-user', newUser).expect(429);
    expect(refused.body.code).toBe('SMS_LIMITED');
    const ok = await http()
      .post('/account/totp')
      .set('x-user', appUser)
      .set('x-verigator-token', sim.totp(SERVICE, appUser))
      .expect(201);
    expect(ok.body).toEqual({ status: 'sent' });
    expect(sim.messages()).toHaveLength(1);
  });
});

describeWithRedisAndCluster('SMS budget shared by two instances', (redisServer) => {
  let sim: VerigatorSimulator;
  const running: { app: INestApplication; redis: Redis | Cluster }[] = [];

  beforeAll(async () => {
    await redisServer.start();
    sim = await startSimulator({
      seed: { services: [{ id: SERVICE, name: 'Shop', fqdn: 'shop.example' }] },
    });
  });
  afterAll(async () => {
    for (const { app, redis } of running.splice(0)) {
      await app.close();
      redis.disconnect();
    }
    await Promise.all([redisServer.stop(), sim.close()]);
  });

  it('sends exactly the budget across both instances, and raises the alarm once', async () => {
    const events: VerigatorEvent[] = [];
    const sms: Sms = {
      budget: { max: 8, window: 60_000, reservedForVerified: 0 },
      prefixBudget: { max: 5, window: 60_000 },
    };
    const instances = [];
    for (const [, adapter] of ADAPTERS as readonly (readonly [string, AdapterFactory])[]) {
      const redis = redisServer.client({ disconnectTimeout: 50 });
      const store = new RedisTwoFactorStore(redis, {
        prefix: 'sms:',
        hashUserIds: { secret: 's' },
      });
      const { app } = await createVerigatorApp(
        sim.url,
        { sms, twoFactor: { store }, onEvent: (e) => void events.push(e) },
        { adapter, controllers: [AppController] },
      );
      running.push({ app, redis });
      instances.push(() => request(app.getHttpServer()));
    }
    const [a, b] = instances;
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const prefix = i % 2 ? '555' : '566';
      ids.push(await signUp(i % 2 ? a : b, `bot${i}`, eePhone(i, prefix)));
    }
    const answers = await Promise.all(
      ids.map((id, i) => (i % 2 ? b : a)().post('/account/transfer').set('x-user', id)),
    );
    expect(answers.filter((r) => r.status === 401)).toHaveLength(8);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(16);
    expect(sim.messages()).toHaveLength(8);
    // Neither prefix got more than its 5, whichever instance sent.
    const byPrefix = new Map<string, number>();
    for (const m of sim.messages())
      byPrefix.set(m.to.slice(0, 7), (byPrefix.get(m.to.slice(0, 7)) ?? 0) + 1);
    expect(Math.max(...byPrefix.values())).toBeLessThanOrEqual(5);
    expect(events.filter((e) => e.type === 'smsBudgetExhausted')).toHaveLength(1);
    // Redis holds no phone number.
    const [{ redis: admin }] = running;
    const keys = await everyKey(admin);
    expect(keys).not.toHaveLength(0);
    const values = await Promise.all(
      keys.map((k) => admin.type(k).then((t) => (t === 'string' ? admin.get(k) : ''))),
    );
    expect(JSON.stringify([keys, values])).not.toMatch(/3725\d{7}/);
  });
});
