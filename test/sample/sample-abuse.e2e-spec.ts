import { Logger } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types';
import { SampleApp, createSampleApp } from '../../sample/sample-bootstrap';
import { SAMPLE_RATE_LIMITS } from '../../sample/sample-settings';
import { startSample, useSample } from '../utils/sample-app';

/** A Nest logger that keeps its lines, by level. */
class KeepingLogger extends Logger {
  readonly lines: [string, string][] = [];
  override log(message: unknown) {
    this.lines.push(['log', String(message)]);
  }
  override warn(message: unknown) {
    this.lines.push(['warn', String(message)]);
  }
  override error(message: unknown) {
    this.lines.push(['error', String(message)]);
  }
}

describe('the sample app cannot run open', () => {
  it('refuses to start the embedded simulator in production', async () => {
    const started = createSampleApp({ port: 0, production: true }, false);
    const outcome = await started.then(
      async (sample) => {
        await sample.close();
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/embedded Verigator simulator.*never runs in production/);
  });

  it('announces the embedded simulator as a warning', async () => {
    const logger = new KeepingLogger();
    const sample = await createSampleApp({ port: 0 }, logger);
    await sample.close();
    const warning = logger.lines.find(([level]) => level === 'warn');
    expect(warning?.[1]).toContain('embedded Verigator simulator');
    expect(warning?.[1]).toContain('development only');
    expect(logger.lines.filter(([, text]) => text.includes('simulator'))).toEqual([warning]);
  });

  describe('with its default rate limits', () => {
    let sample: SampleApp;
    let http: App;
    let phone = 10;

    beforeEach(async () => {
      sample = await startSample({ rateLimits: SAMPLE_RATE_LIMITS });
      http = sample.app.getHttpServer();
    });
    afterEach(() => sample.close());

    const signUp = (n = phone++) =>
      request(http)
        .post('/users')
        .send({ username: `u${n}@example.com`, phoneNumber: `+372 5556 00${n}` });

    it('allows 5 sign-ups per 10 minutes per client, then 429 with Retry-After', async () => {
      for (let i = 0; i < 5; i++) await signUp().expect(201);
      const refused = await signUp().expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
      expect(sample.simulator!.requests().filter((r) => r.method === 'POST')).toHaveLength(5);
    });

    it('allows 20 requests per minute per client on the 2FA routes', async () => {
      const { apiKey } = (await signUp().expect(201)).body as { apiKey: string };
      const transfer = () =>
        request(http)
          .post('/transfers')
          .set('Authorization', `Bearer ${apiKey}`)
          .send({ to: 'bob', amount: 1 });
      for (let i = 0; i < 20; i++) await transfer().expect(401);
      await transfer().expect(429);
    });
  });

  describe('accounts', () => {
    const bed = useSample();

    const signUp = (username: string, phoneNumber: string) =>
      request(bed.http).post('/users').send({ username, phoneNumber });

    it('refuses a phone number already registered, however it is written', async () => {
      await signUp('first@example.com', '+372 5557 0001').expect(201);
      const creates = () => bed.sim.requests().filter((r) => r.method === 'POST');
      expect(creates()).toHaveLength(1);
      const again = await signUp('second@example.com', '+37255570001').expect(409);
      expect(again.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'This phone number is already registered',
      });
      expect(JSON.stringify(again.body)).not.toContain('5557');
      expect(creates()).toHaveLength(1);
    });

    it('frees the phone number when Verigator refuses the sign-up', async () => {
      bed.sim.injectFault({ method: 'POST', path: '/**/users', status: 500 });
      await signUp('failed@example.com', '+372 5557 0002').expect(502);
      bed.sim.reset();
      await signUp('failed@example.com', '+372 5557 0002').expect(201);
    });

    it('GET /users answers only the caller, and only with an API key', async () => {
      const alice = (await signUp('alice@example.com', '+372 5557 0003').expect(201)).body;
      const bob = (await signUp('bob@example.com', '+372 5557 0004').expect(201)).body;
      await request(bed.http).get('/users').expect(401);
      const mine = await request(bed.http)
        .get('/users')
        .set('Authorization', `Bearer ${alice.apiKey}`)
        .expect(200);
      expect(mine.body).toEqual([
        expect.objectContaining({ id: alice.verigatorId, username: 'alice@example.com' }),
      ]);
      const before = bed.sim.requests().length;
      await request(bed.http)
        .get(`/users/${bob.verigatorId}`)
        .set('Authorization', `Bearer ${alice.apiKey}`)
        .expect(404);
      await request(bed.http).get(`/users/${bob.verigatorId}`).expect(401);
      expect(bed.sim.requests()).toHaveLength(before);
      const own = await request(bed.http)
        .get(`/users/${alice.verigatorId}`)
        .set('Authorization', `Bearer ${alice.apiKey}`)
        .expect(200);
      expect(own.body.username).toBe('alice@example.com');
    });
  });
});
