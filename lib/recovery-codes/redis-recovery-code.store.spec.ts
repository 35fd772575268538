import Redis, { Cluster } from 'ioredis';
import { RedisCluster, RedisServer, describeWithRedis } from '../../test/utils/redis-server';
import { behavesLikeARecoveryCodeStore } from '../../test/utils/recovery-code-store-behaviour';
import { TwoFactorStoreError } from '../stores/two-factor-store.error';
import { RedisRecoveryCodeStore } from './redis-recovery-code.store';

describeWithRedis('RedisRecoveryCodeStore', () => {
  const server = new RedisServer();
  const clients: Redis[] = [];
  let admin: Redis;

  /** A client like an app's own, closed after the suite. */
  const client = (url = server.url) => {
    const redis = new Redis(url, { disconnectTimeout: 50 });
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    await server.start();
    admin = client();
  });
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await server.stop();
  });

  describe('with default options', () => {
    let redis: Redis;
    beforeAll(() => {
      redis = client();
    });
    behavesLikeARecoveryCodeStore(() => new RedisRecoveryCodeStore(redis));
  });

  describe('with a prefix', () => {
    let redis: Redis;
    beforeAll(() => {
      redis = client();
    });
    behavesLikeARecoveryCodeStore(() => new RedisRecoveryCodeStore(redis, { prefix: 'app-1:' }));
  });

  describe('on a three-master Redis Cluster', () => {
    const redisCluster = new RedisCluster();
    let cluster: Cluster;
    beforeAll(async () => {
      await redisCluster.start();
      cluster = redisCluster.client();
    });
    afterAll(async () => {
      cluster.disconnect();
      await redisCluster.stop();
    });
    behavesLikeARecoveryCodeStore(() => new RedisRecoveryCodeStore(cluster, { prefix: 'app-1:' }));

    it('keeps each user on one slot, users spread over the masters', async () => {
      const store = new RedisRecoveryCodeStore(cluster);
      const users = Array.from({ length: 12 }, (_, i) => ({ serviceId: 'svc', userId: `u${i}` }));
      await Promise.all(users.map((user) => store.replace(user, ['v1:a', 'v1:b'])));
      const slots = await Promise.all(
        users.map(async (user) =>
          Number(await cluster.cluster('KEYSLOT', `verigator-2fa:recovery:{svc:${user.userId}}`)),
        ),
      );
      const masters = (await cluster.cluster('SLOTS')) as [number, number, ...unknown[]][];
      const masterOf = (slot: number) => masters.findIndex(([a, b]) => a <= slot && slot <= b);
      expect(new Set(slots.map(masterOf)).size).toBeGreaterThan(1);
      for (const user of users) expect(await store.consume(user, ['v1:b'])).toBe(true);
      expect(await Promise.all(users.map((user) => store.count(user)))).toEqual(users.map(() => 1));
    });
  });

  describe('keys', () => {
    beforeEach(() => admin.flushall());

    it('keeps one set per user, hash-tagged, under the prefix, with no expiry', async () => {
      const store = new RedisRecoveryCodeStore(client(), { prefix: 'my-app:' });
      await store.replace({ serviceId: 'svc', userId: 'alice@example.com' }, ['v1:a', 'v1:b']);
      await store.replace({ serviceId: 'svc', userId: 'bob' }, ['v1:c']);
      expect((await admin.keys('*')).sort()).toEqual([
        'my-app:verigator-2fa:recovery:{svc:alice%40example.com}',
        'my-app:verigator-2fa:recovery:{svc:bob}',
      ]);
      const alice = 'my-app:verigator-2fa:recovery:{svc:alice%40example.com}';
      expect((await admin.smembers(alice)).sort()).toEqual(['v1:a', 'v1:b']);
      expect(await admin.pttl(alice)).toBe(-1);
    });

    it('leaves no key behind when the last code is used, or on clear', async () => {
      const store = new RedisRecoveryCodeStore(client());
      const alice = { serviceId: 'svc', userId: 'alice' };
      await store.replace(alice, ['v1:a']);
      await store.consume(alice, ['v1:a']);
      await store.replace({ ...alice, userId: 'bob' }, ['v1:b']);
      await store.clear({ ...alice, userId: 'bob' });
      expect(await admin.keys('*')).toEqual([]);
    });

    it('reloads its script when Redis lost it (SCRIPT FLUSH, restart)', async () => {
      const store = new RedisRecoveryCodeStore(client());
      const alice = { serviceId: 'svc', userId: 'alice' };
      await store.replace(alice, ['v1:a']);
      await admin.script('FLUSH');
      await store.replace(alice, ['v1:b', 'v1:c']);
      expect(await store.count(alice)).toBe(2);
    });

    it('refuses unusable options, naming them', () => {
      const redis = client();
      expect(() => new RedisRecoveryCodeStore(redis, { commandTimeout: 0 })).toThrow(
        'RedisRecoveryCodeStore commandTimeout must be a positive number of ms',
      );
      expect(() => new RedisRecoveryCodeStore(redis, { prefix: 1 as never })).toThrow(/prefix/);
    });
  });

  describe('when Redis is unavailable', () => {
    it('fails with TwoFactorStoreError after commandTimeout when Redis hangs, then recovers', async () => {
      const store = new RedisRecoveryCodeStore(client(), { commandTimeout: 200 });
      const alice = { serviceId: 'svc', userId: 'secret-user' };
      await store.replace(alice, ['v1:a']);
      server.pause();
      try {
        const error = await store.consume(alice, ['v1:a']).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TwoFactorStoreError);
        expect((error as Error).message).toBe('Redis SREM timed out after 200 ms');
      } finally {
        server.resume();
      }
      await store.replace(alice, ['v1:b', 'v1:c']);
      expect(await store.count(alice)).toBe(2);
    });

    it('wraps Redis errors without keys or values in the message', async () => {
      const store = new RedisRecoveryCodeStore(client());
      await admin.set('verigator-2fa:recovery:{svc:secret-user}', 'not a set');
      const error = await store
        .consume({ serviceId: 'svc', userId: 'secret-user' }, ['v1:secret-hash'])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TwoFactorStoreError);
      expect((error as Error).message).toMatch(/^Redis SREM failed: WRONGTYPE/);
      expect((error as Error).message).not.toMatch(/secret-user|secret-hash/);
    });
  });

  describe('connect()', () => {
    it('creates its own client from a URL, and closes it at shutdown', async () => {
      const store = RedisRecoveryCodeStore.connect(server.url, { prefix: 'own:' });
      await store.replace({ serviceId: 'svc', userId: 'u' }, ['v1:a']);
      expect(await admin.scard('own:verigator-2fa:recovery:{svc:u}')).toBe(1);
      const ended = new Promise((resolve) => (store.client as Redis).once('end', resolve));
      await store.onApplicationShutdown();
      await ended;
    });

    it('leaves a client it was given open', async () => {
      const redis = client();
      await new RedisRecoveryCodeStore(redis).onApplicationShutdown();
      expect(await redis.ping()).toBe('PONG');
    });

    it('says which package to install when ioredis is missing', () => {
      jest.isolateModules(() => {
        jest.doMock('ioredis', () => {
          throw Object.assign(new Error("Cannot find module 'ioredis'"), {
            code: 'MODULE_NOT_FOUND',
          });
        });
        type Isolated = typeof import('./redis-recovery-code.store');
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated: Isolated = require('./redis-recovery-code.store');
        expect(() => isolated.RedisRecoveryCodeStore.connect('redis://127.0.0.1:1')).toThrow(
          'RedisRecoveryCodeStore.connect() needs the "ioredis" package: run `npm install ioredis`',
        );
      });
      jest.dontMock('ioredis');
    });
  });
});
