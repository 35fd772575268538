import Redis, { Cluster } from 'ioredis';
import { closedPortUrl } from '../../test/utils/recording-server';
import { RedisCluster, RedisServer, describeWithRedis } from '../../test/utils/redis-server';
import { behavesLikeATwoFactorStore } from '../../test/utils/two-factor-store-behaviour';
import { RedisTwoFactorStore } from './redis-two-factor.store';
import { TwoFactorStoreError } from './two-factor-store.error';

describeWithRedis('RedisTwoFactorStore', () => {
  const server = new RedisServer();
  const clients: Redis[] = [];
  let admin: Redis;

  /** A client like an app's own, closed after the suite. */
  const client = (url = server.url, options = {}) => {
    const redis = new Redis(url, { disconnectTimeout: 50, ...options });
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

  /** Every key in Redis with its value and PTTL. */
  async function dump(): Promise<{ key: string; value: string | null; pttl: number }[]> {
    const keys = await admin.keys('*');
    return Promise.all(
      keys.map(async (key) => ({ key, value: await admin.get(key), pttl: await admin.pttl(key) })),
    );
  }

  describe('with default options', () => {
    let redisClient: Redis;
    beforeAll(() => {
      redisClient = client();
    });
    behavesLikeATwoFactorStore(() => new RedisTwoFactorStore(redisClient));
  });

  describe('with a prefix and hashed user ids', () => {
    let redisClient: Redis;
    beforeAll(() => {
      redisClient = client();
    });
    behavesLikeATwoFactorStore(
      () =>
        new RedisTwoFactorStore(redisClient, { prefix: 'app-1:', hashUserIds: { secret: 's' } }),
    );
  });

  describe('on a three-master Redis Cluster', () => {
    const redisCluster = new RedisCluster();
    let cluster: Cluster;
    beforeAll(async () => {
      await redisCluster.start();
      // disconnectTimeout as the clients above: after the master-down test, a slot refresh's
      // connection leaves ioredis's disconnect timer (2 s by default) running past disconnect(),
      // which held the test process open after the suite.
      cluster = redisCluster.client({ disconnectTimeout: 50 });
    });
    afterAll(async () => {
      cluster.disconnect();
      await redisCluster.stop();
    });

    behavesLikeATwoFactorStore(() => new RedisTwoFactorStore(cluster, { hashUserIds: true }));

    const alice = 'verigator-2fa:attempts:{svc:alice}';
    const bob = 'verigator-2fa:attempts:{svc:bob}';
    /** The port of the master holding `key`. */
    const masterOf = async (key: string) => {
      const slot = Number(await cluster.cluster('KEYSLOT', key));
      const slots = await cluster.cluster('SLOTS');
      return slots.find(([first, last]) => first <= slot && slot <= last)?.[2]?.[1];
    };

    it("puts two users on different masters: what reaches both users' keys fails", async () => {
      expect(await masterOf(alice)).not.toBe(await masterOf(bob));
      // One command or script declaring both keys: CROSSSLOT (a one-node cluster says so too).
      await expect(
        cluster.eval("return redis.call('DEL', KEYS[1], KEYS[2])", 2, alice, bob),
      ).rejects.toThrow(/^CROSSSLOT /);
      // A script reaching a key it did not declare: a one-node cluster runs it.
      await expect(
        cluster.eval(`redis.call('DEL', KEYS[1]); return redis.call('DEL', '${bob}')`, 1, alice),
      ).rejects.toThrow(/non local key/);
      // A pipeline over both users: a one-node cluster runs it.
      await expect(cluster.pipeline().del(alice).del(bob).exec()).rejects.toThrow(
        /same slots allocation group/,
      );
    });

    // Last in this cluster's tests: the master stays down.
    it("answers the other masters' users while one master is down", async () => {
      const store = new RedisTwoFactorStore(cluster, { commandTimeout: 200 });
      const port = await masterOf(alice);
      await redisCluster.masters.find((master) => master.port === port)!.kill();
      await expect(store.increment(alice, 60_000)).rejects.toThrow(
        new TwoFactorStoreError('Redis INCR timed out after 200 ms'),
      );
      expect((await store.increment(bob, 60_000)).count).toBe(1);
    });
  });

  describe('keys', () => {
    beforeEach(() => admin.flushall());

    it('gives every key a TTL, under the prefix', async () => {
      const store = new RedisTwoFactorStore(client(), { prefix: 'my-app:' });
      await store.set('verigator-2fa:success:{svc:alice}:', '1', 60_000);
      await store.setIfAbsent('verigator-2fa:cooldown:{svc:alice}', 'sms', 60_000);
      await store.increment('verigator-2fa:attempts:{svc:alice}', 60_000);
      await store.decrement('verigator-2fa:attempts:{svc:alice}');
      const keys = await dump();
      expect(keys.map((k) => k.key).sort()).toEqual([
        'my-app:verigator-2fa:attempts:{svc:alice}',
        'my-app:verigator-2fa:cooldown:{svc:alice}',
        'my-app:verigator-2fa:success:{svc:alice}:',
      ]);
      for (const { pttl } of keys) {
        expect(pttl).toBeGreaterThan(0);
        expect(pttl).toBeLessThanOrEqual(60_000);
      }
    });

    it('hashes user ids but keeps one hash tag per user, so one Cluster slot', async () => {
      const store = new RedisTwoFactorStore(client(), { hashUserIds: true });
      await store.set('verigator-2fa:success:{svc:alice%40example.com}:sess-9', '1', 60_000);
      await store.increment('verigator-2fa:attempts:{svc:alice%40example.com}', 60_000);
      await store.increment('verigator-2fa:attempts:{svc:bob}', 60_000);
      const keys = (await dump()).map((k) => k.key);
      expect(keys.join()).not.toMatch(/alice|bob|sess-9/);
      const tagOf = (key: string) => /\{([^}]+)\}/.exec(key)![1];
      const success = keys.find((k) => k.startsWith('verigator-2fa:success:'))!;
      const attempts = keys.filter((k) => k.startsWith('verigator-2fa:attempts:'));
      expect(attempts).toHaveLength(2);
      expect(attempts.filter((k) => tagOf(k) === tagOf(success))).toHaveLength(1);
      expect(new Set(keys.map(tagOf)).size).toBe(2);
    });

    it('refuses unusable options, naming them', () => {
      const redis = client();
      expect(() => new RedisTwoFactorStore(redis, { commandTimeout: 0 })).toThrow(/commandTimeout/);
      expect(() => new RedisTwoFactorStore(redis, { hashUserIds: { secret: '' } })).toThrow(
        /hashUserIds.secret/,
      );
    });

    it('reloads its scripts when Redis lost them (SCRIPT FLUSH, restart)', async () => {
      const store = new RedisTwoFactorStore(client());
      await store.increment('verigator-2fa:attempts:{svc:u}', 60_000);
      await admin.script('FLUSH');
      expect((await store.increment('verigator-2fa:attempts:{svc:u}', 60_000)).count).toBe(2);
    });
  });

  describe('when Redis is unavailable', () => {
    it('fails at once, queueing nothing, once a ready client lost Redis', async () => {
      const doomed = await new RedisServer().start();
      try {
        const redis = client(doomed.url);
        const store = new RedisTwoFactorStore(redis, { commandTimeout: 5000 });
        await store.set('verigator-2fa:success:{svc:u}:', '1', 60_000);
        const closed = new Promise((resolve) => redis.once('close', resolve));
        await doomed.kill();
        await closed;
        const started = Date.now();
        const error = await store.increment('verigator-2fa:attempts:{svc:u}', 1000).catch((e) => e);
        expect(error).toBeInstanceOf(TwoFactorStoreError);
        expect((error as Error).message).toMatch(/^Redis INCR not sent: the client is /);
        expect(Date.now() - started).toBeLessThan(1000); // far below commandTimeout (5 s)
        // Listen before restarting: ioredis may reconnect before start() resolves.
        const ready = new Promise((resolve) => redis.once('ready', resolve));
        await doomed.start();
        await ready;
        expect(await redis.exists('verigator-2fa:attempts:{svc:u}')).toBe(0);
      } finally {
        await doomed.stop();
      }
    });

    it('fails after commandTimeout while a first connection does not come up', async () => {
      const store = new RedisTwoFactorStore(client(await closedPortUrl()), { commandTimeout: 200 });
      const started = Date.now();
      await expect(store.get('verigator-2fa:attempts:{svc:u}')).rejects.toThrow(
        new TwoFactorStoreError('Redis GET timed out after 200 ms'),
      );
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('fails with TwoFactorStoreError after commandTimeout when Redis hangs, then recovers', async () => {
      const store = new RedisTwoFactorStore(client(), { commandTimeout: 200 });
      await store.set('verigator-2fa:success:{svc:u}:', '1', 60_000);
      server.pause();
      try {
        const started = Date.now();
        const error = await store.get('verigator-2fa:success:{svc:u}:').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TwoFactorStoreError);
        expect((error as Error).message).toBe('Redis GET timed out after 200 ms');
        expect(Date.now() - started).toBeLessThan(1000);
      } finally {
        server.resume();
      }
      expect((await store.get('verigator-2fa:success:{svc:u}:'))?.value).toBe('1');
    });

    it('wraps Redis errors without keys or values in the message', async () => {
      const store = new RedisTwoFactorStore(client());
      await admin.set('verigator-2fa:attempts:{svc:secret-user}', 'x');
      await admin.lpush('verigator-2fa:cooldown:{svc:secret-user}', 'x');
      const error = await store
        .increment('verigator-2fa:cooldown:{svc:secret-user}', 1000)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TwoFactorStoreError);
      expect((error as Error).message).toMatch(/^Redis INCR failed: /);
      expect((error as Error).message).not.toContain('secret-user');
    });
  });

  describe('connect()', () => {
    it('creates its own client from a URL, and closes it at shutdown', async () => {
      const store = RedisTwoFactorStore.connect(server.url, { prefix: 'own:' });
      await new Promise((resolve) => (store.client as Redis).once('ready', resolve));
      expect(await store.setIfAbsent('verigator-2fa:cooldown:{svc:u}', 'sms', 1000)).toBe(true);
      expect(await admin.get('own:verigator-2fa:cooldown:{svc:u}')).toBe('sms');
      const ended = new Promise((resolve) => (store.client as Redis).once('end', resolve));
      await store.onApplicationShutdown();
      await ended;
    });

    it('leaves a client it was given open', async () => {
      const redis = client();
      await new RedisTwoFactorStore(redis).onApplicationShutdown();
      expect(await redis.ping()).toBe('PONG');
    });

    it('says which package to install when ioredis is missing', () => {
      jest.isolateModules(() => {
        jest.doMock('ioredis', () => {
          throw Object.assign(new Error("Cannot find module 'ioredis'"), {
            code: 'MODULE_NOT_FOUND',
          });
        });
        type Isolated = typeof import('./redis-two-factor.store');
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated: Isolated = require('./redis-two-factor.store');
        expect(() => isolated.RedisTwoFactorStore.connect('redis://127.0.0.1:1')).toThrow(
          'RedisTwoFactorStore.connect() needs the "ioredis" package: run `npm install ioredis`',
        );
      });
      jest.dontMock('ioredis');
    });
  });
});
