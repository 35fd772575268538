import { TwoFactorStore } from '../../lib';
import { until } from './until';

/**
 * The `TwoFactorStore` contract as one suite, run against every implementation (in memory,
 * Redis): call it inside a `describe`, with a factory for a fresh store. Real time: a record
 * checked while live has seconds to spare, and a test that needs time to pass waits (bounded)
 * until the store itself shows it has (a record gone, a TTL run down), never for a guessed
 * duration, so a busy machine can only make the waits longer, never the verdicts wrong. Keys are unique per test,
 * shaped like the guard's (with a hash tag).
 */
export function behavesLikeATwoFactorStore(createStore: () => TwoFactorStore): void {
  let store: TwoFactorStore;
  let serial = 0;
  /** A key of its own for each test, like `verigator-2fa:<kind>:{svc:user-N}`. */
  const key = (kind = 'attempts', extra = '') =>
    `verigator-2fa:${kind}:{svc:user-${process.pid}-${++serial}}${extra}`;

  beforeEach(() => {
    store = createStore();
  });

  describe('TwoFactorStore contract', () => {
    it('gets nothing for an absent key', async () => {
      expect(await store.get(key())).toBeUndefined();
    });

    it('gets what was set, with the time it has left', async () => {
      const k = key('success', ':session');
      await store.set(k, '1700000000000', 10_000);
      const record = await store.get(k);
      expect(record?.value).toBe('1700000000000');
      expect(record?.ttlMs).toBeGreaterThan(9_000);
      expect(record?.ttlMs).toBeLessThanOrEqual(10_000);
    });

    it('replaces the value and the expiry on set', async () => {
      const k = key();
      await store.set(k, 'a', 10_000);
      await store.set(k, 'b', 2_000);
      const record = await store.get(k);
      expect(record?.value).toBe('b');
      expect(record?.ttlMs).toBeLessThanOrEqual(2_000);
    });

    it('forgets a record after its TTL', async () => {
      const k = key();
      await store.set(k, 'v', 60);
      await until(async () => (await store.get(k)) === undefined, 'the record is gone');
    });

    it('lets exactly one of many concurrent setIfAbsent calls claim a key', async () => {
      const k = key('cooldown');
      const claims = await Promise.all(
        Array.from({ length: 30 }, (_, i) => store.setIfAbsent(k, i % 2 ? 'sms' : 'totp', 10_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = claims.indexOf(true);
      expect((await store.get(k))?.value).toBe(winner % 2 ? 'sms' : 'totp');
    });

    it('lets setIfAbsent claim again once the record expired', async () => {
      const k = key('cooldown');
      expect(await store.setIfAbsent(k, 'sms', 500)).toBe(true);
      expect(await store.setIfAbsent(k, 'totp', 500)).toBe(false);
      await until(() => store.setIfAbsent(k, 'totp', 10_000), 'a claim succeeds after the TTL');
      expect((await store.get(k))?.value).toBe('totp');
    });

    it('counts every one of many concurrent increments once', async () => {
      const k = key();
      const counters = await Promise.all(
        Array.from({ length: 50 }, () => store.increment(k, 10_000)),
      );
      expect(counters.map((c) => c.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      for (const counter of counters) {
        expect(counter.ttlMs).toBeGreaterThan(0);
        expect(counter.ttlMs).toBeLessThanOrEqual(10_000);
      }
      expect((await store.get(k))?.value).toBe('50');
    });

    it('keeps the window fixed from the first increment, then starts over', async () => {
      const k = key();
      expect((await store.increment(k, 10_000)).count).toBe(1);
      await until(async () => (await store.get(k))!.ttlMs <= 9_950, 'the window has run 50 ms');
      const second = await store.increment(k, 10_000);
      expect(second.count).toBe(2);
      expect(second.ttlMs).toBeLessThanOrEqual(9_950); // not extended by the second increment

      const short = key();
      await store.increment(short, 60);
      await until(async () => (await store.get(short)) === undefined, 'the counter expired');
      expect(await store.increment(short, 60)).toEqual({ count: 1, ttlMs: expect.any(Number) });
    });

    it('decrements a live counter, keeping its expiry, never below zero', async () => {
      const k = key();
      await store.increment(k, 10_000);
      await store.increment(k, 10_000);
      await until(async () => (await store.get(k))!.ttlMs <= 9_950, 'the window has run 50 ms');
      await store.decrement(k);
      const record = await store.get(k);
      expect(record?.value).toBe('1');
      expect(record?.ttlMs).toBeLessThanOrEqual(9_950); // the expiry is the first increment's
      await store.decrement(k);
      await store.decrement(k);
      expect((await store.get(k))?.value).toBe('0');

      const short = key();
      await store.increment(short, 60);
      await store.decrement(short);
      // Kept its expiry: a decrement that dropped the TTL would leave it for ever.
      await until(async () => (await store.get(short)) === undefined, 'the counter expired');
    });

    it('ignores decrements of absent counters', async () => {
      const k = key();
      await store.decrement(k);
      expect(await store.get(k)).toBeUndefined();
    });

    it('deletes a record, and deleting an absent one is harmless', async () => {
      const k = key();
      await store.set(k, 'v', 10_000);
      await store.delete(k);
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
    });

    it('keeps distinct keys apart, even of one user', async () => {
      const k = key('success', ':s1');
      const same = k.replace(':s1', ':s2');
      const kind = k.replace(':success:', ':attempts:');
      await store.set(k, 'a', 10_000);
      expect(await store.get(same)).toBeUndefined();
      expect(await store.get(kind)).toBeUndefined();
      await store.increment(kind, 10_000);
      expect((await store.get(k))?.value).toBe('a');
    });
  });
}
