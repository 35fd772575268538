import { VerigatorSimulator } from './verigator-simulator';

const AUTH = 'demo:demo';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Reply {
  status: number;
  headers: Headers;
  json: unknown;
}

async function call(
  sim: VerigatorSimulator,
  method: string,
  path: string,
  options: { body?: unknown; auth?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const auth = options.auth === undefined ? AUTH : options.auth;
  if (auth !== null) headers['X-Service-Auth'] = auth;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`${sim.url}${path}`, { method, headers, body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text === '' ? undefined : JSON.parse(text),
  };
}

describe('VerigatorSimulator API routes', () => {
  let sim: VerigatorSimulator;
  const now = Date.parse('2024-05-01T10:00:00.000Z');

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({ clock: () => now });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  async function createService(): Promise<string> {
    const res = await call(sim, 'POST', '/v1/service/service', {
      body: { fqdn: 'coffeeshop.com', name: 'CoffeeShop' },
    });
    return (res.json as { id: string }).id;
  }

  async function createUser(serviceId: string, idInService = 'john.doe@example.com') {
    const res = await call(sim, 'POST', `/v1/service/service/${serviceId}/users`, {
      body: { id_in_service: idInService, phone_number: '+4401234567' },
    });
    return (res.json as { id: string }).id;
  }

  describe('services', () => {
    it('creates a service: 201 with id, name and an RFC 3339 ctime', async () => {
      const res = await call(sim, 'POST', '/v1/service/service', {
        body: { fqdn: 'coffeeshop.com', name: 'CoffeeShop' },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.json).toEqual({
        id: expect.stringMatching(UUID),
        name: 'CoffeeShop',
        ctime: '2024-05-01T10:00:00.000Z',
      });
    });

    it('gets a service', async () => {
      const id = await createService();
      const res = await call(sim, 'GET', `/v1/service/service/${id}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ id, name: 'CoffeeShop', ctime: '2024-05-01T10:00:00.000Z' });
    });

    it('deletes a service: 202 with {}, then 404', async () => {
      const id = await createService();
      const res = await call(sim, 'DELETE', `/v1/service/service/${id}`);
      expect(res.status).toBe(202);
      expect(res.json).toEqual({});
      expect((await call(sim, 'GET', `/v1/service/service/${id}`)).status).toBe(404);
    });

    it('refuses to delete a service that still has users: 409', async () => {
      const id = await createService();
      await createUser(id);
      const res = await call(sim, 'DELETE', `/v1/service/service/${id}`);
      expect(res.status).toBe(409);
      expect(res.json).toEqual({ message: expect.stringContaining('still has 1 user') });
    });

    it('answers 404 for an unknown service on get and delete', async () => {
      for (const method of ['GET', 'DELETE']) {
        const res = await call(sim, method, '/v1/service/service/nope');
        expect(res.status).toBe(404);
        expect(res.json).toEqual({ message: expect.stringContaining('nope') });
      }
    });

    it.each([
      [{ name: 'CoffeeShop' }, 'fqdn'],
      [{ fqdn: '', name: 'CoffeeShop' }, 'fqdn'],
      [{ fqdn: '   ', name: 'CoffeeShop' }, 'fqdn'],
      [{ fqdn: 42, name: 'CoffeeShop' }, 'fqdn'],
      [{ fqdn: 'coffeeshop.com' }, 'name'],
      [{ fqdn: 'coffeeshop.com', name: '' }, 'name'],
    ])('answers 422 naming the field for %j', async (body, field) => {
      const res = await call(sim, 'POST', '/v1/service/service', { body });
      expect(res.status).toBe(422);
      expect((res.json as { message: string }).message).toMatch(new RegExp(`^${field} `));
    });
  });

  describe('users', () => {
    it('adds a user: 201 with id, ctime and id_in_service', async () => {
      const serviceId = await createService();
      const res = await call(sim, 'POST', `/v1/service/service/${serviceId}/users`, {
        body: { id_in_service: 'john.doe@example.com', phone_number: '+4401234567' },
      });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({
        id: expect.stringMatching(UUID),
        ctime: '2024-05-01T10:00:00.000Z',
        id_in_service: 'john.doe@example.com',
      });
    });

    it('lists users with their count, and gets one', async () => {
      const serviceId = await createService();
      const john = await createUser(serviceId, 'john');
      const jane = await createUser(serviceId, 'jane');
      const list = await call(sim, 'GET', `/v1/service/service/${serviceId}/users`);
      expect(list.status).toBe(200);
      expect(list.json).toEqual({
        users: [
          { id: john, ctime: '2024-05-01T10:00:00.000Z', id_in_service: 'john' },
          { id: jane, ctime: '2024-05-01T10:00:00.000Z', id_in_service: 'jane' },
        ],
        count: 2,
      });
      const one = await call(sim, 'GET', `/v1/service/service/${serviceId}/users/${jane}`);
      expect(one.status).toBe(200);
      expect(one.json).toEqual({
        id: jane,
        ctime: '2024-05-01T10:00:00.000Z',
        id_in_service: 'jane',
      });
    });

    it('lists an empty service as {users: [], count: 0}', async () => {
      const serviceId = await createService();
      const res = await call(sim, 'GET', `/v1/service/service/${serviceId}/users`);
      expect(res.json).toEqual({ users: [], count: 0 });
    });

    it('deletes a user: 202 with {}, then 404; the service can then be deleted', async () => {
      const serviceId = await createService();
      const userId = await createUser(serviceId);
      const res = await call(sim, 'DELETE', `/v1/service/service/${serviceId}/users/${userId}`);
      expect(res.status).toBe(202);
      expect(res.json).toEqual({});
      const again = await call(sim, 'GET', `/v1/service/service/${serviceId}/users/${userId}`);
      expect(again.status).toBe(404);
      expect((await call(sim, 'DELETE', `/v1/service/service/${serviceId}`)).status).toBe(202);
    });

    it('answers 409 for a second user with the same id_in_service, but not in another service', async () => {
      const serviceId = await createService();
      await createUser(serviceId, 'john');
      const res = await call(sim, 'POST', `/v1/service/service/${serviceId}/users`, {
        body: { id_in_service: 'john', phone_number: '+3725555555' },
      });
      expect(res.status).toBe(409);
      expect(res.json).toEqual({ message: expect.stringContaining('already exists') });
      const other = await createService();
      expect(await createUser(other, 'john')).toMatch(UUID);
    });

    it('answers 404 for an unknown service or user on every user route', async () => {
      const serviceId = await createService();
      const userId = await createUser(serviceId);
      const cases: [string, string, unknown?][] = [
        ['GET', '/v1/service/service/nope/users'],
        [
          'POST',
          '/v1/service/service/nope/users',
          { id_in_service: 'a', phone_number: '+3725555555' },
        ],
        ['GET', `/v1/service/service/nope/users/${userId}`],
        ['GET', `/v1/service/service/${serviceId}/users/nope`],
        ['DELETE', `/v1/service/service/${serviceId}/users/nope`],
        ['POST', `/v1/service/service/${serviceId}/users/nope/auth`, { method: 'sms' }],
        ['PUT', `/v1/service/service/${serviceId}/users/nope/auth`, { token: '123456' }],
      ];
      for (const [method, path, body] of cases) {
        const res = await call(sim, method, path, { body });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
        expect(res.json).toEqual({ message: expect.any(String) });
      }
    });

    it('does not find a user through another service', async () => {
      const a = await createService();
      const b = await createService();
      const userId = await createUser(a);
      expect((await call(sim, 'GET', `/v1/service/service/${b}/users/${userId}`)).status).toBe(404);
    });

    it.each([
      [{ phone_number: '+4401234567' }, 'id_in_service'],
      [{ id_in_service: '', phone_number: '+4401234567' }, 'id_in_service'],
      [{ id_in_service: 'john' }, 'phone_number'],
      [{ id_in_service: 'john', phone_number: '4401234567' }, 'phone_number'],
      [{ id_in_service: 'john', phone_number: '+0401234567' }, 'phone_number'],
      [{ id_in_service: 'john', phone_number: '+44 1234567' }, 'phone_number'],
      [{ id_in_service: 'john', phone_number: '+123456' }, 'phone_number'],
      [{ id_in_service: 'john', phone_number: '+1234567890123456' }, 'phone_number'],
      [{ id_in_service: 'john', phone_number: 4401234567 }, 'phone_number'],
    ])('answers 422 naming the field for %j', async (body, field) => {
      const serviceId = await createService();
      const res = await call(sim, 'POST', `/v1/service/service/${serviceId}/users`, { body });
      expect(res.status).toBe(422);
      expect((res.json as { message: string }).message).toMatch(new RegExp(`^${field} `));
    });

    it('matches ids with percent-encoded characters exactly, an encoded / included', async () => {
      const seeded = await VerigatorSimulator.start({
        seed: {
          services: [
            {
              id: 'svc/with slash',
              name: 'Odd',
              fqdn: 'odd.example',
              users: [{ id: 'user?#1', username: 'odd', phoneNumber: '+3725555555' }],
            },
          ],
        },
      });
      try {
        const service = encodeURIComponent('svc/with slash');
        const user = encodeURIComponent('user?#1');
        const res = await call(seeded, 'GET', `/v1/service/service/${service}/users/${user}`);
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({ id: 'user?#1', id_in_service: 'odd' });
        const unencoded = await call(seeded, 'GET', '/v1/service/service/svc/with%20slash');
        expect(unencoded.status).toBe(404);
      } finally {
        await seeded.close();
      }
    });
  });

  describe('authentication header', () => {
    it.each([
      ['missing', null],
      ['empty', ''],
      ['without a colon', 'demo'],
      ['with a wrong password', 'demo:wrong'],
      ['with a wrong username', 'other:demo'],
      ['with the password doubled', 'demo:demo:demo'],
    ])('answers 401 when X-Service-Auth is %s', async (_label, auth) => {
      const res = await call(sim, 'GET', '/v1/service/service/any', { auth });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.json).toEqual({ message: expect.any(String) });
    });

    it('checks credentials on every endpoint', async () => {
      const base = '/v1/service/service';
      const cases: [string, string][] = [
        ['POST', base],
        ['GET', `${base}/s`],
        ['DELETE', `${base}/s`],
        ['GET', `${base}/s/users`],
        ['POST', `${base}/s/users`],
        ['GET', `${base}/s/users/u`],
        ['DELETE', `${base}/s/users/u`],
        ['POST', `${base}/s/users/u/auth`],
        ['PUT', `${base}/s/users/u/auth`],
      ];
      for (const [method, path] of cases) {
        const body = method === 'POST' || method === 'PUT' ? {} : undefined;
        const res = await call(sim, method, path, { auth: 'demo:nope', body });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
      }
    });

    it('splits at the first colon, so passwords may contain colons, and never echoes them', async () => {
      const colon = await VerigatorSimulator.start({ username: 'api', password: 'p:a:ss' });
      try {
        expect(
          (await call(colon, 'GET', '/v1/service/service/x', { auth: 'api:p:a:ss' })).status,
        ).toBe(404);
        const wrong = await call(colon, 'GET', '/v1/service/service/x', { auth: 'api:p:a:sX' });
        expect(wrong.status).toBe(401);
        expect(JSON.stringify(wrong.json)).not.toContain('p:a:s');
      } finally {
        await colon.close();
      }
    });
  });

  describe('bodies and routing', () => {
    it.each(['not json', '{"fqdn":', '', '[1,2]', '"text"', 'null'])(
      'answers 422 for the body %j',
      async (raw) => {
        const res = await call(sim, 'POST', '/v1/service/service', { body: raw });
        expect(res.status).toBe(422);
        expect(res.json).toEqual({ message: expect.stringMatching(/JSON/) });
      },
    );

    it('answers 422 for a non-JSON body on initiate and verify too', async () => {
      const serviceId = await createService();
      const userId = await createUser(serviceId);
      const path = `/v1/service/service/${serviceId}/users/${userId}/auth`;
      expect((await call(sim, 'POST', path, { body: 'x' })).status).toBe(422);
      expect((await call(sim, 'PUT', path, { body: 'x' })).status).toBe(422);
    });

    it.each([
      ['GET', '/index.html'],
      ['GET', '/v1/service'],
      ['GET', '/v1/service/services'],
      ['GET', '/v1/service/service/s/user/u'],
      ['GET', '/v1/service/service/s/users/u/auth/extra'],
      ['POST', '/v1/service/service/s/users/u/login'],
      ['GET', '/v1/service/service/'],
      ['GET', '/v1/service/service//users'],
    ])('answers 404 for the unknown route %s %s', async (method, path) => {
      const res = await call(sim, method, path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.json).toEqual({ message: expect.stringContaining('No route') });
    });

    it.each([
      ['GET', '/v1/service/service', 'POST'],
      ['PUT', '/v1/service/service/s', 'GET, DELETE'],
      ['PATCH', '/v1/service/service/s/users', 'GET, POST'],
      ['POST', '/v1/service/service/s/users/u', 'GET, DELETE'],
      ['GET', '/v1/service/service/s/users/u/auth', 'POST, PUT'],
    ])('answers 405 for %s %s with Allow: %s', async (method, path, allow) => {
      const res = await call(sim, method, path);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.json).toEqual({ message: expect.stringContaining('not allowed') });
    });

    it('answers 400 for a path that is not valid percent-encoding', async () => {
      const res = await call(sim, 'GET', '/v1/service/service/%E0%A4%A');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ message: expect.any(String) });
    });

    it('can answer creates with 200 for the Java client', async () => {
      const java = await VerigatorSimulator.start({ createdStatus: 200 });
      try {
        const res = await call(java, 'POST', '/v1/service/service', {
          body: { fqdn: 'coffeeshop.com', name: 'CoffeeShop' },
        });
        expect(res.status).toBe(200);
      } finally {
        await java.close();
      }
    });
  });
});
