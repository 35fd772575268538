import { InvalidDataError } from '../../lib';
import { useRecordedClient } from '../utils/test-bed';

describe('bad input is refused locally, naming each field, and nothing is sent', () => {
  const bed = useRecordedClient();
  const { upstream } = bed;
  afterEach(() => expect(upstream.requests).toHaveLength(0));

  async function fieldsOf(call: () => Promise<unknown>): Promise<string[]> {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDataError);
    const invalid = error as InvalidDataError;
    expect(invalid.statusCode).toBe(0);
    for (const { field } of invalid.fields) expect(invalid.message).toContain(field);
    return invalid.fields.map((f) => f.field).sort();
  }

  it.each([
    ['empty fqdn and name', { fqdn: '', name: '' }, ['fqdn', 'name']],
    ['fqdn not a domain', { fqdn: 'not a domain', name: 'Shop' }, ['fqdn']],
    ['name too long', { fqdn: 'shop.com', name: 'x'.repeat(101) }, ['name']],
    ['name not a string', { fqdn: 'shop.com', name: 42 }, ['name']],
    ['a blank name', { fqdn: 'shop.com', name: ' \t ' }, ['name']],
  ])('services.create with %s', async (_case, input, fields) => {
    expect(await fieldsOf(() => bed.client.services.create(input as never))).toEqual(fields);
  });

  it.each([undefined, null, 'coffeeshop.com', ['x'], new Set(['x']), new Date(0)])(
    'services.create(%p) names both fields',
    async (input) => {
      expect(await fieldsOf(() => bed.client.services.create(input as never))).toEqual([
        'fqdn',
        'name',
      ]);
    },
  );

  it('users.create without a user object names both fields', async () => {
    expect(await fieldsOf(() => bed.client.users.create('svc', undefined as never))).toEqual([
      'phoneNumber',
      'username',
    ]);
  });

  it.each([
    ['no plus sign', '3725555555'],
    ['letters', '+372555abc'],
    ['too short for its country', '+3721'],
    // possible in Germany, but under E.164's seven digits: Verigator (and the simulator) refuse it
    ['fewer than seven digits', '+49 00 00'],
    ['too long', '+3725555555555555'],
    ['not a string', 3725555555],
  ])('users.create with a phone number with %s', async (_case, phoneNumber) => {
    const fields = await fieldsOf(() =>
      bed.client.users.create('svc', { username: 'john', phoneNumber: phoneNumber as string }),
    );
    expect(fields).toEqual(['phoneNumber']);
  });

  it('users.create with a blank username names it', async () => {
    expect(
      await fieldsOf(() =>
        bed.client.users.create('svc', { username: '  ', phoneNumber: '+3725555555' }),
      ),
    ).toEqual(['username']);
  });

  it('users.create with an empty username and an empty service id lists both', async () => {
    expect(
      await fieldsOf(() =>
        bed.client.users.create('', { username: '', phoneNumber: '+3725555555' }),
      ),
    ).toEqual(['serviceId', 'username']);
  });

  it.each(['', '.', '..', 'x'.repeat(256), 7, undefined])('the id %p is refused', async (id) => {
    expect(await fieldsOf(() => bed.client.services.get(id as string))).toEqual(['serviceId']);
    expect(await fieldsOf(() => bed.client.users.get('svc', id as string))).toEqual(['userId']);
    expect(await fieldsOf(() => bed.client.users.delete(id as string, id as string))).toEqual([
      'serviceId',
      'userId',
    ]);
  });

  it.each(['\ud800', 'x\udfff', '\udc00\ud800'])(
    'an id with a lone surrogate %p is InvalidDataError from every id-taking method',
    async (id) => {
      expect(await fieldsOf(() => bed.client.services.get(id))).toEqual(['serviceId']);
      expect(await fieldsOf(() => bed.client.services.delete(id))).toEqual(['serviceId']);
      expect(await fieldsOf(() => bed.client.users.get('svc', id))).toEqual(['userId']);
      expect(await fieldsOf(() => bed.client.users.getAll(id))).toEqual(['serviceId']);
      expect(await fieldsOf(() => bed.client.users.delete(id, 'usr'))).toEqual(['serviceId']);
      expect(
        await fieldsOf(() =>
          bed.client.users.create(id, { username: 'a', phoneNumber: '+3725555555' }),
        ),
      ).toEqual(['serviceId']);
      expect(await fieldsOf(() => bed.client.auth.initiate('svc', id, 'sms'))).toEqual(['userId']);
      expect(await fieldsOf(() => bed.client.auth.verify(id, 'usr', '123456'))).toEqual([
        'serviceId',
      ]);
    },
  );

  it('text with a lone surrogate is InvalidDataError naming the field', async () => {
    expect(
      await fieldsOf(() =>
        bed.client.users.create('svc', { username: 'a\ud800', phoneNumber: '+3725555555' }),
      ),
    ).toEqual(['username']);
    expect(
      await fieldsOf(() => bed.client.services.create({ fqdn: 'shop.com', name: '\udfffx' })),
    ).toEqual(['name']);
  });

  it('a well-formed surrogate pair (an emoji) is accepted', async () => {
    upstream.reply({ status: 200, body: { id: 'svc', name: 'n', ctime: 't' } });
    await expect(bed.client.services.get('svc-\ud83d\ude00')).resolves.toMatchObject({ id: 'svc' });
    expect(upstream.requests[0].url).toContain('svc-%F0%9F%98%80');
    upstream.clear();
  });

  it('auth.initiate with an unknown method names method', async () => {
    expect(await fieldsOf(() => bed.client.auth.initiate('svc', 'usr', 'email' as never))).toEqual([
      'method',
    ]);
  });

  it.each(['12a456', '123', '1234567890123', '', 123456])(
    'auth.verify with the token %p names token but never shows it',
    async (token) => {
      const error = (await bed.client.auth
        .verify('svc', 'usr', token as string)
        .catch((e) => e)) as Error;
      expect(error).toBeInstanceOf(InvalidDataError);
      expect((error as InvalidDataError).fields.map((f) => f.field)).toEqual(['token']);
      if (String(token).length > 0) expect(JSON.stringify(error)).not.toContain(String(token));
    },
  );
});
