import Redis from 'ioredis';
import request from 'supertest';
import { SampleApp } from '../../sample/sample-bootstrap';
import { readSampleSettings } from '../../sample/sample-settings';
import { RedisServer, describeWithRedis } from '../utils/redis-server';
import { startSample } from '../utils/sample-app';
import { until } from '../utils/until';

/** The sample keeps its two-factor state in Redis when `REDIS_URL` is set. */
describeWithRedis('the sample app with REDIS_URL', () => {
  const redisServer = new RedisServer();
  let admin: Redis;
  const samples: SampleApp[] = [];

  beforeAll(async () => {
    await redisServer.start();
    admin = new Redis(redisServer.url);
  });
  afterAll(async () => {
    admin.disconnect();
    await redisServer.stop();
  });
  afterEach(async () => {
    for (const sample of samples.splice(0)) await sample.close();
  });

  async function start(env: NodeJS.ProcessEnv) {
    const sample = await startSample({ ...readSampleSettings(env), timeoutMs: 2000 });
    samples.push(sample);
    return sample;
  }

  async function challenge(sample: SampleApp): Promise<number> {
    const user = await request(sample.app.getHttpServer())
      .post('/users')
      .send({ username: 'alice@example.com', phoneNumber: '+372 5555 5100' })
      .expect(201);
    const res = await request(sample.app.getHttpServer())
      .post('/transfers')
      .set('Authorization', `Bearer ${user.body.apiKey}`)
      .send({ to: 'bob', amount: 100 });
    expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
    return (await admin.keys('nest-sample:verigator-2fa:cooldown:*')).length;
  }

  it('keeps the cooldown in Redis (user ids hashed), and closes its clients with the app', async () => {
    await admin.flushall();
    const sample = await start({ REDIS_URL: redisServer.url });
    expect(await challenge(sample)).toBe(1);
    const keys = await admin.keys('*');
    expect(keys.join()).not.toMatch(/alice|nest-sample-service/);
    const clients = async () =>
      String(await admin.client('LIST'))
        .trim()
        .split('\n').length;
    expect(await clients()).toBe(3); // this test's, the two-factor store's, the recovery codes'
    await sample.close();
    samples.length = 0;
    // Redis sees the sample's connections close a moment after close() returns.
    await until(async () => (await clients()) <= 1, "Redis has seen the sample's clients go");
    expect(await clients()).toBe(1);
  });

  it('uses the in-memory store without REDIS_URL', async () => {
    await admin.flushall();
    const sample = await start({});
    expect(await challenge(sample)).toBe(0);
  });
});
