import { request } from 'node:http';
import { VerigatorSimulator } from './verigator-simulator';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection, with exactly the given headers and body bytes. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `json.dumps` with its default separators, as `requests(json=...)` encodes bodies. */
function pythonJson(value: Record<string, string>): string {
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/**
 * What the official Python client (messente/verigator-python, RestClient) sends: X-Service-Auth on
 * every call, Content-Type and Accept on POST/PUT only, a new connection per call; it calls
 * `resp.json()` on every response, errors and deletes included.
 */
function pythonClient(endpoint: string, username: string, password: string) {
  const base = {
    'User-Agent': 'python-requests/2.31.0',
    'Accept-Encoding': 'gzip, deflate',
    Accept: '*/*',
    Connection: 'keep-alive',
    'X-Service-Auth': [username, password].join(':'),
  };
  const call = async (method: string, path: string, json?: Record<string, string>) => {
    const url = [endpoint.replace(/^\/+|\/+$/g, ''), path].join('/');
    const headers: Record<string, string> = { ...base };
    let body: string | undefined;
    if (json !== undefined) {
      body = pythonJson(json);
      headers['Content-Type'] = 'application/json';
      headers['Accept'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const reply = await send(url, method, headers, body);
    return { status: reply.status, json: JSON.parse(reply.body) as Record<string, unknown> };
  };
  return {
    createService: (domain: string, name: string) =>
      call('POST', 'v1/service/service', { fqdn: domain, name }),
    getService: (id: string) => call('GET', `v1/service/service/${id}`),
    deleteService: (id: string) => call('DELETE', `v1/service/service/${id}`),
    getAllUsers: (sid: string) => call('GET', `v1/service/service/${sid}/users`),
    getUser: (sid: string, id: string) => call('GET', `v1/service/service/${sid}/users/${id}`),
    createUser: (sid: string, number: string, username: string) =>
      call('POST', `v1/service/service/${sid}/users`, {
        phone_number: number,
        id_in_service: username,
      }),
    deleteUser: (sid: string, id: string) =>
      call('DELETE', `v1/service/service/${sid}/users/${id}`),
    initiate: (sid: string, uid: string, method: string) =>
      call('POST', `v1/service/service/${sid}/users/${uid}/auth`, { method }),
    verify: (sid: string, uid: string, method: string, token: string) =>
      call('PUT', `v1/service/service/${sid}/users/${uid}/auth`, { method, token }),
  };
}

describe('compatibility with the official clients, replayed over HTTP', () => {
  let sim: VerigatorSimulator;

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({ username: 'messente-user', password: 'pass:word' });
  });
  afterAll(() => sim.close());

  it('serves the Python client flow, every response being JSON', async () => {
    const py = pythonClient(`${sim.url}/`, 'messente-user', 'pass:word');

    const service = await py.createService('coffeeshop.com', 'CoffeeShop');
    expect(service.status).toBe(201);
    const sid = service.json.id as string;
    expect(service.json).toEqual({ id: sid, ctime: expect.any(String), name: 'CoffeeShop' });
    expect((await py.getService(sid)).json).toMatchObject({ id: sid, name: 'CoffeeShop' });

    const user = await py.createUser(sid, '+3725555555', 'john.doe@example.com');
    expect(user.status).toBe(201);
    const uid = user.json.id as string;
    expect(user.json).toEqual({
      id: uid,
      ctime: expect.any(String),
      id_in_service: 'john.doe@example.com',
    });
    const all = await py.getAllUsers(sid);
    expect((all.json.users as unknown[]).length).toBe(1);
    expect((await py.getUser(sid, uid)).json).toMatchObject({ id: uid });

    expect((await py.initiate(sid, uid, 'sms')).json).toEqual({ method: 'sms' });
    const code = sim.lastCode('+3725555555')!;
    const wrong = await py.verify(sid, uid, 'sms', code === '000000' ? '111111' : '000000');
    expect(wrong.json.verified).toBe(false);
    expect(wrong.json.status).toMatchObject({ invalid: true, result: 'INVALID' });
    const right = await py.verify(sid, uid, 'sms', code);
    expect(right.json.verified).toBe(true);
    expect(right.json.status).toBeUndefined();

    sim.enrolDevice(sid, uid);
    expect((await py.initiate(sid, uid, 'totp')).json).toEqual({ method: 'totp' });
    expect((await py.verify(sid, uid, 'totp', sim.totp(sid, uid))).json.verified).toBe(true);

    const deletedUser = await py.deleteUser(sid, uid);
    expect(deletedUser.status).toBe(202);
    const deletedService = await py.deleteService(sid);
    expect(deletedService.status).toBe(202);
  });

  it('gives the Python client JSON errors with a message it can read', async () => {
    const py = pythonClient(sim.url, 'messente-user', 'pass:word');
    const missing = await py.getService('nope');
    expect(missing.status).toBe(404);
    expect(typeof missing.json.message).toBe('string');
    const wrong = pythonClient(sim.url, 'messente-user', 'nope');
    const denied = await wrong.getService('nope');
    expect(denied.status).toBe(401);
    expect(typeof denied.json.message).toBe('string');
    const bad = await py.createService('', 'CoffeeShop');
    expect(bad.status).toBe(422);
    expect(bad.json.message).toMatch(/^fqdn/);
  });

  it('serves the Java client flow when creates answer 200 (createdStatus: 200)', async () => {
    const java = await VerigatorSimulator.start({ createdStatus: 200 });
    try {
      const base = `${java.url}/v1`;
      const headers = {
        'X-Service-Auth': 'demo:demo',
        'User-Agent': 'Java/1.8.0_292',
        Accept: 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2',
      };
      const jsonHeaders = { ...headers, 'Content-Type': 'application/json' };
      const created = await send(
        `${base}/service/service`,
        'POST',
        jsonHeaders,
        '{"name":"CoffeeShop","fqdn":"coffeeshop.com"}',
      );
      expect(created.status).toBe(200);
      const sid = (JSON.parse(created.body) as { id: string }).id;
      const user = await send(
        `${base}/service/service/${sid}/users`,
        'POST',
        jsonHeaders,
        '{"phone_number":"+3725555555","id_in_service":"youremail@example.com"}',
      );
      expect(user.status).toBe(200);
      const uid = (JSON.parse(user.body) as { id: string }).id;
      const auth = `${base}/service/service/${sid}/users/${uid}/auth`;
      const initiated = await send(auth, 'POST', jsonHeaders, '{"method":"sms"}');
      expect(initiated.status).toBe(200);
      const verified = await send(
        auth,
        'PUT',
        jsonHeaders,
        JSON.stringify({ method: 'sms', token: java.lastCode(uid) }),
      );
      expect(JSON.parse(verified.body)).toEqual({ verified: true });
      expect((await send(`${base}/service/service/${sid}/users`, 'GET', headers)).status).toBe(200);
      // Service.getUser in verigator-java requests /user/{id} (singular), which the documented
      // API does not have: the simulator answers 404 there, as it does for any unknown route.
      expect(
        (await send(`${base}/service/service/${sid}/user/${uid}`, 'GET', headers)).status,
      ).toBe(404);
      expect(
        (await send(`${base}/service/service/${sid}/users/${uid}`, 'DELETE', headers)).status,
      ).toBe(202);
      expect((await send(`${base}/service/service/${sid}`, 'DELETE', headers)).status).toBe(202);
    } finally {
      await java.close();
    }
  });
});
