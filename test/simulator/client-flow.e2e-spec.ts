import { VerigatorSimulator } from '../../lib/testing';
import {
  AuthMethod,
  NoSuchResourceError,
  ResourceAlreadyExistsError,
  WrongCredentialsError,
} from '../../lib';
import { VerigatorTestApp, createVerigatorApp } from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

describe('the client against the simulator', () => {
  let sim: VerigatorSimulator;
  let client: VerigatorTestApp;

  beforeAll(async () => {
    sim = await startSimulator();
    // One answer, one error: no retry, no breaker (resilience has its own suites).
    client = await createVerigatorApp(sim.url, { timeout: 300, retries: 0, circuitBreaker: false });
  });
  afterEach(() => sim.reset());
  afterAll(async () => {
    await client.app.close();
    await sim.close();
  });

  it('walks the whole lifecycle: service, user, SMS, TOTP, deletes', async () => {
    const { services, users, auth } = client;
    const service = await services.create({ fqdn: 'coffeeshop.com', name: 'CoffeeShop' });
    expect(service).toEqual({
      id: expect.any(String),
      name: 'CoffeeShop',
      creationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await expect(services.get(service.id)).resolves.toEqual(service);

    const user = await users.create(service.id, {
      username: 'john@example.com',
      phoneNumber: '+372 5555-555',
    });
    expect(user.username).toBe('john@example.com');
    await expect(users.getAll(service.id)).resolves.toEqual([user]);
    await expect(users.get(service.id, user.id)).resolves.toEqual(user);
    await expect(
      users.create(service.id, { username: 'john@example.com', phoneNumber: '+3725555556' }),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsError);

    // SMS: the code lands in the outbox, a wrong one is refused, the right one verifies once.
    await expect(auth.initiate(service.id, user.id, AuthMethod.SMS)).resolves.toBe('sms');
    const [sms] = sim.messages({ userId: user.id });
    expect(sms.to).toBe('+3725555555');
    const wrong = sms.code === '000000' ? '111111' : '000000';
    await expect(auth.verify(service.id, user.id, wrong)).resolves.toEqual({
      verified: false,
      status: { throttled: false, expired: false, invalid: true, result: 'INVALID' },
    });
    await expect(auth.verify(service.id, user.id, sms.code)).resolves.toEqual({ verified: true });
    await expect(auth.verify(service.id, user.id, sms.code)).resolves.toMatchObject({
      verified: false,
    });

    // TOTP without a device falls back to SMS; with one, the app's code verifies.
    await expect(auth.initiate(service.id, user.id, AuthMethod.TOTP)).resolves.toBe('sms');
    sim.enrolDevice(service.id, user.id);
    const smsCount = sim.messages().length;
    await expect(auth.initiate(service.id, user.id, AuthMethod.TOTP)).resolves.toBe('totp');
    expect(sim.messages()).toHaveLength(smsCount);
    await expect(auth.verify(service.id, user.id, sim.totp(service.id, user.id))).resolves.toEqual({
      verified: true,
    });

    await expect(services.delete(service.id)).rejects.toBeInstanceOf(ResourceAlreadyExistsError);
    await users.delete(service.id, user.id);
    await expect(users.get(service.id, user.id)).rejects.toBeInstanceOf(NoSuchResourceError);
    await services.delete(service.id);
    await expect(services.get(service.id)).rejects.toBeInstanceOf(NoSuchResourceError);
  });

  it('throttles after three wrong codes, even for the right one', async () => {
    const service = await client.services.create({ fqdn: 'shop.com', name: 'Shop' });
    const user = await client.users.create(service.id, {
      username: 'ann',
      phoneNumber: '+3725555557',
    });
    await client.auth.initiate(service.id, user.id, AuthMethod.SMS);
    const code = sim.lastCode(user.id)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) await client.auth.verify(service.id, user.id, wrong);
    await expect(client.auth.verify(service.id, user.id, code)).resolves.toMatchObject({
      verified: false,
      status: { throttled: true, result: 'THROTTLED' },
    });
  });

  it('wrong credentials are WrongCredentialsError, with the password nowhere in it', async () => {
    const wrong = await createVerigatorApp(sim.url, { password: 'not-the-password' });
    try {
      const error = await wrong.services.get('any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongCredentialsError);
      expect(JSON.stringify(error)).not.toContain('not-the-password');
    } finally {
      await wrong.app.close();
    }
  });
});
