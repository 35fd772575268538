import { AuthMethod } from '../models/verigator.models';
import { InMemoryTwoFactorStore } from '../stores/in-memory-two-factor.store';
import { twoFactorStoreKey } from '../stores/two-factor-store-keys';
import { TrustedDeviceRecords } from './trusted-device-records';

describe('TrustedDeviceRecords', () => {
  let now = 0;
  let written: string[];
  const alice = { serviceId: 'svc', userId: 'alice' };
  const bob = { serviceId: 'svc', userId: 'bob' };

  function records(maxPerUser = 3, store = new InMemoryTwoFactorStore({ now: () => now })) {
    const set = store.set.bind(store);
    store.set = (key, value, ttlMs) => {
      written.push(key, value);
      return set(key, value, ttlMs);
    };
    return new TrustedDeviceRecords(store, { lifetime: 1_000, maxPerUser }, twoFactorStoreKey);
  }

  beforeEach(() => {
    now = 0;
    written = [];
  });

  it('issues a random token that finds the device of its owner only, storing only a hash', async () => {
    const subject = records();
    const token = await subject.issue(alice, AuthMethod.SMS);
    const secret = token.split('.')[1];
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(await subject.find(alice, token)).toBe(AuthMethod.SMS);
    expect(await subject.find(bob, token)).toBeUndefined();
    expect(await subject.find({ ...alice, serviceId: 'other' }, token)).toBeUndefined();
    expect(written.join('\n')).not.toContain(secret);
    expect(await subject.issue(alice, AuthMethod.SMS)).not.toBe(token);
  });

  it.each([
    '',
    'x',
    '0',
    '0.',
    `7.${'A'.repeat(43)}`,
    `00.${'A'.repeat(43)}`,
    `0.${'A'.repeat(42)}`,
    `0.${'A'.repeat(44)}`,
    `0.${'+'.repeat(43)}`,
    `-1.${'A'.repeat(43)}`,
    `0.${'A'.repeat(43)}\n`,
  ])('finds nothing for the malformed or unknown token %j', async (token) => {
    const subject = records();
    await subject.issue(alice, AuthMethod.TOTP);
    expect(await subject.find(alice, token)).toBeUndefined();
  });

  it('finds nothing once the lifetime is over', async () => {
    const subject = records();
    const token = await subject.issue(alice, AuthMethod.SMS);
    now = 999;
    expect(await subject.find(alice, token)).toBe(AuthMethod.SMS);
    now = 1_000;
    expect(await subject.find(alice, token)).toBeUndefined();
    expect(await subject.list(alice)).toEqual([]);
  });

  it('keeps at most maxPerUser devices per user, dropping the oldest', async () => {
    const subject = records(2);
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push(await subject.issue(alice, AuthMethod.SMS));
    const found = await Promise.all(tokens.map((token) => subject.find(alice, token)));
    expect(found).toEqual([undefined, AuthMethod.SMS, AuthMethod.SMS]);
    expect(await subject.list(alice)).toHaveLength(2);
  });

  it('gives concurrent trusts distinct slots', async () => {
    const subject = records(5);
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => subject.issue(alice, AuthMethod.SMS)),
    );
    const found = await Promise.all(tokens.map((token) => subject.find(alice, token)));
    expect(found.every((method) => method === AuthMethod.SMS)).toBe(true);
  });

  it('lists devices oldest first, with id, method and times, never the hash', async () => {
    const subject = records();
    now = 100;
    await subject.issue(alice, AuthMethod.SMS);
    await subject.issue(alice, AuthMethod.TOTP);
    await subject.issue(bob, AuthMethod.SMS);
    const listed = await subject.list(alice);
    expect(listed.map((device) => device.method)).toEqual([AuthMethod.SMS, AuthMethod.TOTP]);
    for (const device of listed) {
      expect(Object.keys(device).sort()).toEqual(['expiresAt', 'id', 'issuedAt', 'method']);
      expect(device.expiresAt - Date.now()).toBeLessThanOrEqual(1_000);
    }
  });

  it('revokes one device by id, or all of a user', async () => {
    const subject = records();
    const first = await subject.issue(alice, AuthMethod.SMS);
    const second = await subject.issue(alice, AuthMethod.SMS);
    const other = await subject.issue(bob, AuthMethod.SMS);
    const [oldest] = await subject.list(alice);
    expect(await subject.revoke(bob, oldest.id)).toBe(false);
    expect(await subject.revoke(alice, oldest.id)).toBe(true);
    expect(await subject.revoke(alice, oldest.id)).toBe(false);
    expect(await subject.find(alice, first)).toBeUndefined();
    expect(await subject.find(alice, second)).toBe(AuthMethod.SMS);
    await subject.revokeAll(alice);
    expect(await subject.find(alice, second)).toBeUndefined();
    expect(await subject.list(alice)).toEqual([]);
    expect(await subject.find(bob, other)).toBe(AuthMethod.SMS);
  });

  it('drops the devices above a lowered cap, so revoking all still reaches every one', async () => {
    const store = new InMemoryTwoFactorStore({ now: () => now });
    const wide = records(3, store);
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push(await wide.issue(alice, AuthMethod.SMS));
    const narrow = records(2, store);
    const found = await Promise.all(tokens.map((token) => narrow.find(alice, token)));
    expect(found).toEqual([AuthMethod.SMS, AuthMethod.SMS, undefined]);
  });

  it('finds nothing in a record it did not write', async () => {
    const store = new InMemoryTwoFactorStore({ now: () => now });
    const subject = records(3, store);
    const token = await subject.issue(alice, AuthMethod.SMS);
    const key = twoFactorStoreKey('device', 'svc', 'alice', '0');
    for (const value of ['{', 'null', '{"id":1}', JSON.stringify({ id: 'x', hash: 'y' })]) {
      await store.set(key, value, 1_000);
      expect(await subject.find(alice, token)).toBeUndefined();
      expect(await subject.list(alice)).toEqual([]);
    }
  });
});
