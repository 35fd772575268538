import { behavesLikeATwoFactorStore } from '../../test/utils/two-factor-store-behaviour';
import { InMemoryTwoFactorStore } from './in-memory-two-factor.store';
import { twoFactorStoreKey } from './two-factor-store-keys';

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

  it('stays within maxEntries while user ids cycle through, sweep after sweep', async () => {
    // 50 times maxEntries: each sweep frees a tenth, so this is about 490 sweeps from full, the
    // same steady state a million ids would only repeat. It proves the bound holds on every
    // write, that the newest record is never the one dropped, and that the oldest ones go.
    const store = new InMemoryTwoFactorStore({ maxEntries: 1_000, now: clock });
    const ids = 50_000;
    let largest = 0;
    for (let i = 0; i < ids; i++) {
      await store.setIfAbsent(`cooldown:user-${i}`, 'sms', 60_000);
      largest = Math.max(largest, store.size);
    }
    expect(largest).toBe(1_000);
    expect(await store.get(`cooldown:user-${ids - 1}`)).toBeDefined();
    expect(await store.get('cooldown:user-0')).toBeUndefined();
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

  describe('when full, keeps lockouts and send budgets longest', () => {
    const lockout = twoFactorStoreKey('attempts', 'svc', 'victim');
    const budget = twoFactorStoreKey('sends', 'svc', 'victim');
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) };
    beforeEach(() => (warnings.length = 0));

    async function countOf(store: InMemoryTwoFactorStore, key: string) {
      return (await store.get(key))?.value;
    }

    it('never drops a live lockout while other records can go', async () => {
      const store = new InMemoryTwoFactorStore({ maxEntries: 10, now: clock, logger });
      for (let i = 0; i < 5; i++) await store.increment(lockout, 60_000);
      for (let i = 0; i < 1_000; i++) {
        await store.setIfAbsent(twoFactorStoreKey('cooldown', 'svc', `u-${i}`), 'sms', 60_000);
        await store.set(twoFactorStoreKey('success', 'svc', `u-${i}`, ''), '1', 60_000);
      }
      expect(await countOf(store, lockout)).toBe('5');
      expect(store.size).toBeLessThanOrEqual(10);
      expect(warnings).toEqual([]);
    });

    it('never drops a live send budget while other records can go', async () => {
      const store = new InMemoryTwoFactorStore({ maxEntries: 10, now: clock, logger });
      await store.increment(budget, 600_000);
      for (let i = 0; i < 1_000; i++) await store.set(`other-${i}`, 'v', 60_000);
      expect(await countOf(store, budget)).toBe('1');
      expect(warnings).toEqual([]);
    });

    it('drops expired security records before live ordinary ones', async () => {
      const store = new InMemoryTwoFactorStore({ maxEntries: 10, now: clock, logger });
      for (let i = 0; i < 9; i++) {
        await store.increment(twoFactorStoreKey('attempts', 'svc', `u-${i}`), 10);
      }
      await store.set('ordinary', 'v', 60_000);
      now += 20;
      await store.set('incoming', 'v', 60_000);
      expect(await store.get('ordinary')).toBeDefined();
      expect(store.size).toBe(2);
    });

    it('when only security records are left, drops the lowest counts first and warns', async () => {
      const store = new InMemoryTwoFactorStore({ maxEntries: 10, now: clock, logger });
      for (let i = 0; i < 5; i++) await store.increment(lockout, 60_000);
      for (let i = 0; i < 100; i++) {
        await store.increment(twoFactorStoreKey('sends', 'svc', `u-${i}`), 60_000);
      }
      expect(await countOf(store, lockout)).toBe('5');
      expect(store.size).toBeLessThanOrEqual(10);
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings[0]).toContain('lockout counters and send budgets');
      expect(warnings[0]).toContain('shared store');
    });

    it('follows an isSecurityKey option', async () => {
      const store = new InMemoryTwoFactorStore({
        maxEntries: 10,
        now: clock,
        logger,
        isSecurityKey: (key) => key.startsWith('lock:'),
      });
      await store.increment('lock:victim', 60_000);
      for (let i = 0; i < 100; i++) await store.increment(`other-${i}`, 60_000);
      expect(await countOf(store, 'lock:victim')).toBe('1');
    });
  });

  it('refuses an unusable maxEntries', () => {
    expect(() => new InMemoryTwoFactorStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
