import { RecoveryCodeStore } from '../../lib';

/**
 * The `RecoveryCodeStore` contract as one suite, run against every implementation (in memory,
 * Redis, Redis Cluster): call it inside a `describe`, with a factory for a store. Owners are
 * unique per test, so stores may share a server across tests.
 */
export function behavesLikeARecoveryCodeStore(createStore: () => RecoveryCodeStore): void {
  let store: RecoveryCodeStore;
  let serial = 0;
  /** An owner of its own for each call. */
  const owner = (): RecoveryCodeStore.Owner => ({
    serviceId: 'svc',
    userId: `user-${process.pid}-${++serial}`,
  });
  /** Hashes shaped like the library's: `<version>:<base64url>`. */
  const hashes = (n: number, tag = 'h') =>
    Array.from({ length: n }, (_, i) => `v1:${tag}${i}-${serial}`);

  beforeEach(() => {
    store = createStore();
  });

  describe('RecoveryCodeStore contract', () => {
    it('holds nothing for an unknown owner', async () => {
      const nobody = owner();
      expect(await store.count(nobody)).toBe(0);
      expect(await store.consume(nobody, ['v1:x'])).toBe(false);
      await store.clear(nobody);
      expect(await store.count(nobody)).toBe(0);
    });

    it('counts what replace stored', async () => {
      const alice = owner();
      await store.replace(alice, hashes(10));
      expect(await store.count(alice)).toBe(10);
    });

    it('consumes a hash once, and only a hash it holds', async () => {
      const alice = owner();
      const [first, second] = hashes(3);
      await store.replace(alice, hashes(3));
      expect(await store.consume(alice, ['v1:unknown'])).toBe(false);
      expect(await store.consume(alice, [first])).toBe(true);
      expect(await store.consume(alice, [first])).toBe(false);
      expect(await store.count(alice)).toBe(2);
      expect(await store.consume(alice, [second])).toBe(true);
      expect(await store.count(alice)).toBe(1);
    });

    it('consumes whichever of several candidates it holds (one code under each secret version)', async () => {
      const alice = owner();
      await store.replace(alice, ['v1:old-version', 'v1:other']);
      expect(await store.consume(alice, ['v2:new-version', 'v1:old-version'])).toBe(true);
      expect(await store.count(alice)).toBe(1);
      expect(await store.consume(alice, ['v2:new-version', 'v1:old-version'])).toBe(false);
      expect(await store.consume(alice, [])).toBe(false);
    });

    it('lets exactly one of 50 concurrent consumes of one hash succeed', async () => {
      const alice = owner();
      const all = hashes(10);
      await store.replace(alice, all);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.consume(alice, [all[4]])),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.count(alice)).toBe(9);
    });

    it('consumes distinct hashes concurrently, each once', async () => {
      const alice = owner();
      const all = hashes(10);
      await store.replace(alice, all);
      const results = await Promise.all(
        [...all, ...all].map((hash) => store.consume(alice, [hash])),
      );
      expect(results.filter(Boolean)).toHaveLength(10);
      expect(await store.count(alice)).toBe(0);
    });

    it('replaces the whole set: no earlier hash survives', async () => {
      const alice = owner();
      const earlier = hashes(10, 'old');
      await store.replace(alice, earlier);
      await store.consume(alice, [earlier[0]]);
      await store.replace(alice, hashes(5, 'new'));
      expect(await store.count(alice)).toBe(5);
      for (const hash of earlier) expect(await store.consume(alice, [hash])).toBe(false);
      await store.replace(alice, []);
      expect(await store.count(alice)).toBe(0);
    });

    it('replaces atomically while old hashes are being consumed', async () => {
      const alice = owner();
      const earlier = hashes(10, 'old');
      const later = hashes(10, 'new');
      await store.replace(alice, earlier);
      await Promise.all([
        ...earlier.map((hash) => store.consume(alice, [hash])),
        store.replace(alice, later),
      ]);
      expect(await store.count(alice)).toBe(10);
      for (const hash of later) expect(await store.consume(alice, [hash])).toBe(true);
    });

    it('lists the hashes an owner holds', async () => {
      const alice = owner();
      const all = hashes(3);
      expect(await store.list(alice)).toEqual([]);
      await store.replace(alice, all);
      await store.consume(alice, [all[1]]);
      expect((await store.list(alice)).sort()).toEqual([all[0], all[2]].sort());
    });

    it('clears every hash of an owner', async () => {
      const alice = owner();
      const all = hashes(10);
      await store.replace(alice, all);
      await store.clear(alice);
      expect(await store.count(alice)).toBe(0);
      expect(await store.consume(alice, [all[0]])).toBe(false);
    });

    it('keeps owners apart: users, services, and ids with separators and braces', async () => {
      const id = `${process.pid}-${++serial}`;
      const owners: RecoveryCodeStore.Owner[] = [
        { serviceId: 'svc', userId: `a:${id}` },
        { serviceId: 'svc:a', userId: id },
        { serviceId: 'svc', userId: `{a}${id}` },
        { serviceId: 'other', userId: `a:${id}` },
      ];
      const shared = hashes(1, 'shared');
      await store.replace(owners[0], shared);
      for (const other of owners.slice(1)) {
        expect(await store.count(other)).toBe(0);
        expect(await store.consume(other, shared)).toBe(false);
      }
      await store.replace(owners[1], hashes(2));
      await store.clear(owners[3]);
      expect(await store.count(owners[0])).toBe(1);
      expect(await store.consume(owners[0], shared)).toBe(true);
      expect(await store.count(owners[1])).toBe(2);
    });
  });
}
