import { VerigatorSimulator } from '../../lib/testing';
import { AuthMethod, ConnectionError, VerigatorEvent } from '../../lib';
import { RecordingServer, closedPortUrl } from '../utils/recording-server';
import { VerigatorTestApp, createVerigatorApp } from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

describe('failover to fallbackEndpoints', () => {
  let sim: VerigatorSimulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim.reset());
  afterAll(() => sim.close());

  it('a dead port first, a live simulator second: the whole SMS flow works, one SMS', async () => {
    const events: VerigatorEvent[] = [];
    const client = await createVerigatorApp(await closedPortUrl(), {
      fallbackEndpoints: [sim.url],
      onEvent: (event) => void (event.type === 'failover' && events.push(event)),
    });
    try {
      const service = await client.services.create({ fqdn: 'shop.com', name: 'Shop' });
      const user = await client.users.create(service.id, {
        username: 'ann@example.com',
        phoneNumber: '+3725555501',
      });
      await expect(client.auth.initiate(service.id, user.id, AuthMethod.SMS)).resolves.toBe('sms');
      expect(sim.messages({ userId: user.id })).toHaveLength(1);
      const code = sim.lastCode(user.id)!;
      await expect(client.auth.verify(service.id, user.id, code)).resolves.toMatchObject({
        verified: true,
      });
      await expect(client.users.get(service.id, user.id)).resolves.toEqual(user);
      expect(events).toHaveLength(5);
      expect(events[0]).toMatchObject({
        type: 'failover',
        operation: 'services.create',
        httpMethod: 'POST',
        to: sim.url,
        error: { code: 'CONNECTION_ERROR' },
      });
    } finally {
      await client.app.close();
    }
  });

  it('an unresolvable host first, a live simulator second', async () => {
    const client = await createVerigatorApp('http://verigator.invalid', {
      fallbackEndpoints: [sim.url],
    });
    try {
      await expect(client.services.create({ fqdn: 'shop.com', name: 'Shop' })).resolves.toEqual(
        expect.objectContaining({ name: 'Shop' }),
      );
    } finally {
      await client.app.close();
    }
  });

  describe('after a reset, which may have followed sending', () => {
    let primary: RecordingServer;
    let secondary: RecordingServer;
    let client: VerigatorTestApp;

    beforeAll(async () => {
      primary = await new RecordingServer().replyByDefault({ reset: true }).start();
      secondary = await new RecordingServer()
        .replyByDefault({ status: 200, body: { method: 'sms', id: 's', name: 'n', ctime: 'c' } })
        .start();
      client = await createVerigatorApp(primary.url, {
        fallbackEndpoints: [secondary.url],
        retries: 0,
        circuitBreaker: false,
      });
    });
    beforeEach(() => {
      primary.clear();
      secondary.clear();
    });
    afterAll(async () => {
      await client.app.close();
      await primary.close();
      await secondary.close();
    });

    it('initiate does not fail over: it may already have texted the user', async () => {
      const error = await client.auth
        .initiate('svc', 'user', AuthMethod.SMS)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(primary.requests).toHaveLength(1);
      expect(secondary.requests).toHaveLength(0);
    });

    it('a read fails over to the next endpoint', async () => {
      await expect(client.services.get('svc')).resolves.toMatchObject({ id: 's' });
      expect(primary.requests).toHaveLength(1);
      expect(secondary.requests).toHaveLength(1);
    });
  });
});
