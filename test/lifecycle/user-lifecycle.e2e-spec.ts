import { INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import request from 'supertest';
import {
  InMemoryTwoFactorStore,
  NoSuchResourceError,
  TrustedDevicesService,
  TwoFactorStoreError,
  UsersService,
  VerigatorError,
  VerigatorUser,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import {
  ADAPTERS,
  AccountController,
  FakeLoginGuard,
  SERVICE_ID,
  TEST_PASSWORD,
  TEST_USERNAME,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

const [, express] = ADAPTERS[0];

/**
 * The user's lifecycle through `UsersService`: `delete` forgets the library's records of the
 * user, and `replace` (a new phone number is a new Verigator user) carries the lockout over to
 * the new user or clears it, as the caller chooses.
 */
describe('UsersService: the library forgets or carries over what it keeps of a user', () => {
  let sim: VerigatorSimulator;
  let app: INestApplication;
  let users: UsersService;
  let devices: TrustedDevicesService;
  let store: InMemoryTwoFactorStore;

  beforeAll(async () => {
    sim = await startSimulator({
      users: [],
      maxVerifyAttempts: 10, // the guard's lockout (5) comes first
    });
  });
  beforeEach(async () => {
    store = new InMemoryTwoFactorStore();
    ({ app } = await createVerigatorApp(
      sim.url,
      { twoFactor: { store, trustedDevices: { transport: 'header' } } },
      {
        adapter: express,
        controllers: [AccountController],
        providers: [{ provide: APP_GUARD, useClass: FakeLoginGuard }],
      },
    ));
    users = app.get(UsersService);
    devices = app.get(TrustedDevicesService);
  });
  afterEach(async () => {
    await app.close();
    sim.reset();
  });
  afterAll(() => sim.close());

  const alice = { username: 'alice@example.com', phoneNumber: '+37255500001' };
  const newPhone = '+37255500002';

  function transfer(user: VerigatorUser, token?: string, path = '/account/transfer') {
    return send(user, token === undefined ? {} : { 'X-Verigator-Token': token }, path);
  }

  function send(user: VerigatorUser, headers: Record<string, string>, path = '/account/transfer') {
    return request(app.getHttpServer()).post(path).set('x-user', user.id).set(headers).send();
  }

  /** Verifies a code with `X-Verigator-Remember-Device: true`: the device token. */
  async function trustDevice(user: VerigatorUser): Promise<string> {
    await transfer(user).expect(401);
    const res = await send(user, {
      'X-Verigator-Token': sim.lastCode(user.id)!,
      'X-Verigator-Remember-Device': 'true',
    }).expect(201);
    const token: string = res.headers['x-verigator-device-token'];
    await send(user, { 'X-Verigator-Device-Token': token }).expect(201);
    return token;
  }

  /** Five wrong codes: the user is locked out (429 `TWO_FACTOR_LOCKED`). */
  async function lockOut(user: VerigatorUser) {
    await transfer(user).expect(401);
    const code = sim.lastCode(user.id)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await transfer(user, wrong).expect(401);
    const locked = await transfer(user, code).expect(429);
    expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
  }

  it('delete() removes the user from Verigator and every record the guard kept of them', async () => {
    const user = await users.create(SERVICE_ID, alice);
    const device = await trustDevice(user);
    await transfer(user, undefined, '/account/remembered').expect(401);
    await transfer(user, sim.lastCode(user.id), '/account/remembered').expect(201);
    await lockOut(user);
    expect(store.size).toBeGreaterThan(0);

    await users.delete(SERVICE_ID, user.id);

    await expect(users.get(SERVICE_ID, user.id)).rejects.toBeInstanceOf(NoSuchResourceError);
    expect(store.size).toBe(0);
    expect(await devices.list(user.id)).toEqual([]);
    await send(user, { 'X-Verigator-Device-Token': device }).expect(404);
  });

  it('delete() of a user Verigator no longer has still clears the records, then throws', async () => {
    const user = await users.create(SERVICE_ID, alice);
    await lockOut(user);
    // deleted elsewhere (another app, Messente's dashboard) or by a call that failed half-way
    const deleted = await fetch(`${sim.url}/v1/service/service/${SERVICE_ID}/users/${user.id}`, {
      method: 'DELETE',
      headers: { 'X-Service-Auth': `${TEST_USERNAME}:${TEST_PASSWORD}` },
    });
    expect(deleted.ok).toBe(true);

    await expect(users.delete(SERVICE_ID, user.id)).rejects.toBeInstanceOf(NoSuchResourceError);
    expect(store.size).toBe(0);
  });

  it('replace() with the lockout carried over: the new user stays locked out, no SMS goes out', async () => {
    const old = await users.create(SERVICE_ID, alice);
    const device = await trustDevice(old);
    await lockOut(old);

    const renewed = await users.replace(SERVICE_ID, old.id, { ...alice, phoneNumber: newPhone });

    expect(renewed).toMatchObject({ username: alice.username, id: expect.any(String) });
    expect(renewed.id).not.toBe(old.id);
    await expect(users.get(SERVICE_ID, old.id)).rejects.toBeInstanceOf(NoSuchResourceError);
    const locked = await transfer(renewed).expect(429);
    expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(sim.messages({ to: newPhone })).toHaveLength(0);
    // trusted devices are revoked: the new user's device token is refused like no token
    await send(renewed, { 'X-Verigator-Device-Token': device }).expect(429);
    expect(await devices.list(old.id)).toEqual([]);
  });

  it('replace() with records cleared: the new user starts afresh, with an SMS to the new number', async () => {
    const old = await users.create(SERVICE_ID, alice);
    await lockOut(old);

    const renewed = await users.replace(
      SERVICE_ID,
      old.id,
      { ...alice, phoneNumber: newPhone },
      { records: 'clear' },
    );

    const challenge = await transfer(renewed).expect(401);
    expect(challenge.body.code).toBe('TWO_FACTOR_REQUIRED');
    expect(sim.messages({ to: newPhone })).toHaveLength(1);
    await transfer(renewed, sim.lastCode(newPhone)).expect(201);
  });

  it('replace() checks the new number before deleting anything: a bad one leaves the user as is', async () => {
    const old = await users.create(SERVICE_ID, alice);
    await lockOut(old);

    await expect(
      users.replace(SERVICE_ID, old.id, { ...alice, phoneNumber: 'not a phone' }),
    ).rejects.toMatchObject({ code: 'INVALID_DATA' });

    await expect(users.get(SERVICE_ID, old.id)).resolves.toMatchObject({ id: old.id });
    expect((await transfer(old).expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
  });

  it('replace() that fails at Verigator after the delete can be retried with the same arguments', async () => {
    const old = await users.create(SERVICE_ID, alice);
    await lockOut(old);
    sim.injectFault({ method: 'POST', path: '/v1/service/service/*/users', status: 503 });

    const renewal = { ...alice, phoneNumber: newPhone };
    await expect(users.replace(SERVICE_ID, old.id, renewal)).rejects.toBeInstanceOf(VerigatorError);
    await expect(users.get(SERVICE_ID, old.id)).rejects.toBeInstanceOf(NoSuchResourceError);
    const renewed = await users.replace(SERVICE_ID, old.id, renewal);

    expect((await transfer(renewed).expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
  });

  it('replace() whose records cannot be handed over deletes the new user again, so a retry works', async () => {
    const old = await users.create(SERVICE_ID, alice);
    await lockOut(old);
    const renewal = { ...alice, phoneNumber: newPhone };
    const get = store.get.bind(store);
    store.get = () => Promise.reject(new TwoFactorStoreError('get failed: the store is down'));

    await expect(users.replace(SERVICE_ID, old.id, renewal)).rejects.toBeInstanceOf(
      TwoFactorStoreError,
    );
    await expect(users.getAll(SERVICE_ID)).resolves.toEqual([]);
    store.get = get;
    const renewed = await users.replace(SERVICE_ID, old.id, renewal);

    expect((await transfer(renewed).expect(429)).body.code).toBe('TWO_FACTOR_LOCKED');
  });
});
