import { AuthMethod } from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { RecordingServer } from '../utils/recording-server';
import { createVerigatorApp } from '../utils/create-verigator-app';

const USER = { id: 'demo-alice', id_in_service: 'alice@example.com', ctime: '2017-07-06T13:12Z' };

describe('a successful answer is returned exactly as sent, even where it contains the password', () => {
  let upstream: RecordingServer;

  beforeAll(async () => {
    upstream = await new RecordingServer().start();
  });
  afterAll(() => upstream.close());

  it.each([
    ['demo', 'the seed id demo-alice'],
    ['p', 'the username alice@example.com'],
  ])('password %p keeps %s', async (password) => {
    const client = await createVerigatorApp(upstream.url, { username: 'u', password });
    try {
      upstream.reply({ status: 200, body: USER });
      await expect(client.users.get('svc', 'demo-alice')).resolves.toEqual({
        id: 'demo-alice',
        username: 'alice@example.com',
        creationTime: USER.ctime,
      });
      upstream.reply({ status: 200, body: { method: 'totp' } });
      await expect(client.auth.initiate('svc', 'demo-alice', AuthMethod.TOTP)).resolves.toBe(
        'totp',
      );
    } finally {
      await client.app.close();
    }
  });

  it("with the simulator's demo credentials, users.get answers the seed's id", async () => {
    const sim = await VerigatorSimulator.start({
      username: 'demo',
      password: 'demo',
      seed: {
        services: [
          {
            id: 'demo-service',
            name: 'Demo',
            fqdn: 'demo.local',
            users: [
              { id: 'demo-alice', username: 'alice@example.com', phoneNumber: '+3725555555' },
            ],
          },
        ],
      },
    });
    const client = await createVerigatorApp(sim.url, { username: 'demo', password: 'demo' });
    try {
      const user = await client.users.get('demo-service', 'demo-alice');
      expect(user).toMatchObject({ id: 'demo-alice', username: 'alice@example.com' });
    } finally {
      await client.app.close();
      await sim.close();
    }
  });
});
