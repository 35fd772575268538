import { AuthMethod } from '../../lib';
import { useRecordedClient } from '../utils/test-bed';
import { TEST_PASSWORD, TEST_USERNAME, createVerigatorApp } from '../utils/create-verigator-app';

const SERVICE_ID = '402339fa-624a-11e7-907b-a6006ad3dba0';
const USER_ID = '57166678-624a-11e7-907b-a6006ad3dba0';
const CTIME = '2017-07-06T13:12:03.141Z';
const BASE = '/v1/service/service';

describe('requests sent to Verigator and models returned', () => {
  const bed = useRecordedClient();
  const { upstream } = bed;

  function lastRequest() {
    expect(upstream.requests).toHaveLength(1);
    return upstream.requests[0];
  }

  it('sends the authentication, accept and user-agent headers on every request', async () => {
    upstream.reply({ status: 200, body: { id: SERVICE_ID, name: 'CoffeeShop', ctime: CTIME } });
    await bed.client.services.get(SERVICE_ID);
    const { headers } = lastRequest();
    expect(headers['x-service-auth']).toBe(`${TEST_USERNAME}:${TEST_PASSWORD}`);
    expect(headers.accept).toBe('application/json');
    expect(headers['user-agent']).toMatch(/^nestjs-verigator\/\d+\.\d+\.\d+/);
    expect(headers['content-type']).toBeUndefined();
  });

  it('services.create posts fqdn and name and maps the created service', async () => {
    upstream.reply({
      status: 201,
      body: { id: SERVICE_ID, name: 'CoffeeShop', ctime: CTIME, extra: 'ignored' },
    });
    const service = await bed.client.services.create({
      fqdn: 'coffeeshop.com',
      name: 'CoffeeShop',
    });
    const request = lastRequest();
    expect(request.method).toBe('POST');
    expect(request.url).toBe(BASE);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ fqdn: 'coffeeshop.com', name: 'CoffeeShop' });
    expect(service).toEqual({ id: SERVICE_ID, name: 'CoffeeShop', creationTime: CTIME });
  });

  it('services.get fetches by id', async () => {
    upstream.reply({ status: 200, body: { id: SERVICE_ID, name: 'CoffeeShop', ctime: CTIME } });
    await expect(bed.client.services.get(SERVICE_ID)).resolves.toEqual({
      id: SERVICE_ID,
      name: 'CoffeeShop',
      creationTime: CTIME,
    });
    expect(lastRequest()).toMatchObject({ method: 'GET', url: `${BASE}/${SERVICE_ID}`, body: '' });
  });

  it.each([
    [202, { status: 'deleted' }],
    [204, undefined],
    [200, 'not json, ignored by a delete'],
  ])('services.delete accepts %i with body %p', async (status, body) => {
    upstream.reply({ status, body });
    await expect(bed.client.services.delete(SERVICE_ID)).resolves.toBeUndefined();
    expect(lastRequest()).toMatchObject({ method: 'DELETE', url: `${BASE}/${SERVICE_ID}` });
  });

  it('users.create posts id_in_service and a normalised phone number', async () => {
    upstream.reply({
      status: 201,
      body: { id: USER_ID, ctime: CTIME, id_in_service: 'john.doe@example.com' },
    });
    const user = await bed.client.users.create(SERVICE_ID, {
      username: 'john.doe@example.com',
      phoneNumber: '+372 (5555) 555',
    });
    const request = lastRequest();
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${BASE}/${SERVICE_ID}/users`);
    expect(JSON.parse(request.body)).toEqual({
      id_in_service: 'john.doe@example.com',
      phone_number: '+3725555555',
    });
    expect(user).toEqual({ id: USER_ID, username: 'john.doe@example.com', creationTime: CTIME });
  });

  it('users.create accepts the API documentation example number +4401234567', async () => {
    upstream.reply({ status: 200, body: { id: USER_ID, ctime: CTIME, id_in_service: 'j' } });
    await bed.client.users.create(SERVICE_ID, { username: 'j', phoneNumber: '+4401234567' });
    expect(JSON.parse(lastRequest().body).phone_number).toBe('+4401234567');
  });

  it('users.get and users.getAll map users', async () => {
    const apiUser = { id: USER_ID, ctime: CTIME, id_in_service: 'john' };
    upstream.reply({ status: 200, body: apiUser });
    await expect(bed.client.users.get(SERVICE_ID, USER_ID)).resolves.toEqual({
      id: USER_ID,
      username: 'john',
      creationTime: CTIME,
    });
    expect(lastRequest()).toMatchObject({
      method: 'GET',
      url: `${BASE}/${SERVICE_ID}/users/${USER_ID}`,
    });
    upstream.clear();

    upstream.reply({ status: 200, body: { users: [apiUser, { ...apiUser, id: 'u2' }], count: 2 } });
    const all = await bed.client.users.getAll(SERVICE_ID);
    expect(all.map((u) => u.id)).toEqual([USER_ID, 'u2']);
    expect(lastRequest()).toMatchObject({ method: 'GET', url: `${BASE}/${SERVICE_ID}/users` });
  });

  it('users.delete sends DELETE to the user', async () => {
    upstream.reply({ status: 202 });
    await expect(bed.client.users.delete(SERVICE_ID, USER_ID)).resolves.toBeUndefined();
    expect(lastRequest()).toMatchObject({
      method: 'DELETE',
      url: `${BASE}/${SERVICE_ID}/users/${USER_ID}`,
    });
  });

  it.each([
    [AuthMethod.SMS, 'sms', 'sms'],
    [AuthMethod.TOTP, 'totp', 'totp'],
    [AuthMethod.TOTP, 'sms', 'sms (fallback: the user has no device)'],
  ])(
    'auth.initiate(%s) resolves to the method used when Verigator answers %s: %s',
    async (method, used, _label) => {
      upstream.reply({ status: 201, body: { method: used, auth_id: 'ignored' } });
      await expect(bed.client.auth.initiate(SERVICE_ID, USER_ID, method)).resolves.toBe(used);
      const request = lastRequest();
      expect(request.method).toBe('POST');
      expect(request.url).toBe(`${BASE}/${SERVICE_ID}/users/${USER_ID}/auth`);
      expect(JSON.parse(request.body)).toEqual({ method });
    },
  );

  it('auth.verify puts the token without spaces and resolves verified', async () => {
    upstream.reply({ status: 200, body: { verified: true } });
    await expect(bed.client.auth.verify(SERVICE_ID, USER_ID, '123 456')).resolves.toEqual({
      verified: true,
    });
    const request = lastRequest();
    expect(request.method).toBe('PUT');
    expect(request.url).toBe(`${BASE}/${SERVICE_ID}/users/${USER_ID}/auth`);
    expect(JSON.parse(request.body)).toEqual({ token: '123456' });
  });

  it('auth.verify reports why a token failed', async () => {
    upstream.reply({
      status: 200,
      body: {
        verified: false,
        status: { throttled: true, expired: false, invalid: false, result: 'THROTTLED' },
      },
    });
    await expect(bed.client.auth.verify(SERVICE_ID, USER_ID, '000000')).resolves.toEqual({
      verified: false,
      status: { throttled: true, expired: false, invalid: false, result: 'THROTTLED' },
    });
  });

  it.each([
    ['a/b', 'a%2Fb'],
    ['../../admin', '..%2F..%2Fadmin'],
    ['x?y#z', 'x%3Fy%23z'],
    ['50%', '50%25'],
  ])('encodes the id %p as one path segment', async (id, encoded) => {
    upstream.reply({ status: 200, body: { id, name: 'n', ctime: CTIME } });
    await bed.client.services.get(id);
    expect(lastRequest().url).toBe(`${BASE}/${encoded}`);
  });

  it('respects a path prefix in the endpoint', async () => {
    const prefixed = await createVerigatorApp(`${upstream.url}/proxy/verigator/`);
    try {
      upstream.reply({ status: 200, body: { id: SERVICE_ID, name: 'n', ctime: CTIME } });
      await prefixed.services.get(SERVICE_ID);
      expect(lastRequest().url).toBe(`/proxy/verigator${BASE}/${SERVICE_ID}`);
    } finally {
      await prefixed.app.close();
    }
  });
});
