import { behavesLikeATwoFactorStore } from '../../../test/utils/two-factor-store-behaviour';
import { InMemoryTwoFactorStore } from './in-memory-two-factor.store';

describe('InMemoryTwoFactorStore', () => {
  behavesLikeATwoFactorStore(() => new InMemoryTwoFactorStore());

  let now = 1_000;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('expires records after their TTL', async () => {
    const store = new InMemoryTwoFactorStore({ now: clock });
    await store.set('k', 'v', 100);
    now += 40;
    expect(await store.get('k')).toEqual({ value: 'v', ttlMs: 60 });
    now += 60;
    expect(await store.get('k')).toBeUndefined();
  });

  it('setIfAbsent claims a key once until it expires', async () => {
    const store = new InMemoryTwoFactorStore({ now: clock });
    const claims = await Promise.all([1, 2, 3].map(() => store.setIfAbsent('k', 'sms', 100)));
    expect(claims).toEqual([true, false, false]);
    now += 100;
    expect(await store.setIfAbsent('k', 'totp', 100)).toBe(true);
    expect((await store.get('k'))?.value).toBe('totp');
  });

  it('increments within a fixed window and starts over after it', async () => {
    const store = new InMemoryTwoFactorStore({ now: clock });
    expect(await store.increment('c', 1000)).toEqual({ count: 1, ttlMs: 1000 });
    now += 400;
    expect(await store.increment('c', 1000)).toEqual({ count: 2, ttlMs: 600 });
    await store.decrement('c');
    expect(await store.get('c')).toEqual({ value: '1', ttlMs: 600 });
    now += 600;
    expect(await store.increment('c', 1000)).toEqual({ count: 1, ttlMs: 1000 });
  });

  it('ignores decrements of absent counters and never goes below zero', async () => {
    const store = new InMemoryTwoFactorStore({ now: clock });
    await store.decrement('missing');
    expect(await store.get('missing')).toBeUndefined();
    await store.increment('c', 1000);
    await store.decrement('c');
    await store.decrement('c');
    expect((await store.get('c'))?.value).toBe('0');
  });

  it('deletes', async () => {
    const store = new InMemoryTwoFactorStore({ now: clock });
    await store.set('k', 'v', 100);
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('stays within maxEntries while a million user ids cycle through', async () => {
    const store = new InMemoryTwoFactorStore({ maxEntries: 1_000, now: clock });
    let largest = 0;
    for (let i = 0; i < 1_000_000; i++) {
      await store.setIfAbsent(`cooldown:user-${i}`, 'sms', 60_000);
      largest = Math.max(largest, store.size);
    }
    expect(largest).toBe(1_000);
    expect(await store.get('cooldown:user-999999')).toBeDefined();
  });

  it('drops expired records before live ones when full', async () => {
    const store = new InMemoryTwoFactorStore({ maxEntries: 10, now: clock });
    await store.set('live-old', 'v', 10_000);
    for (let i = 0; i < 8; i++) await store.set(`short-${i}`, 'v', 10);
    await store.set('live-new', 'v', 10_000);
    now += 20;
    await store.set('incoming', 'v', 10_000);
    expect(store.size).toBe(3);
    for (const key of ['live-old', 'live-new', 'incoming']) {
      expect(await store.get(key)).toBeDefined();
    }
  });

  it('then drops the least recently written records', async () => {
    const store = new InMemoryTwoFactorStore({ maxEntries: 10, now: clock });
    for (let i = 0; i < 10; i++) await store.set(`k${i}`, 'v', 10_000);
    await store.set('k0', 'rewritten', 10_000);
    await store.set('incoming', 'v', 10_000);
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.get('k0')).toBeDefined();
    expect(await store.get('incoming')).toBeDefined();
    expect(store.size).toBeLessThanOrEqual(10);
  });

  it('refuses an unusable maxEntries', () => {
    expect(() => new InMemoryTwoFactorStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
