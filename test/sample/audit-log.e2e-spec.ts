import request from 'supertest';
import { App } from 'supertest/types';
import { SampleApp, createSampleApp } from '../../sample/sample-bootstrap';
import { CapturingLogger } from '../utils/create-verigator-app';

/** The sample's per-IP throttling would answer most of this one client's requests with 429. */
const NO_RATE_LIMITS = {
  signUp: { limit: 1_000_000, ttlMs: 60_000 },
  twoFactor: { limit: 1_000_000, ttlMs: 60_000 },
};

/** The sample's audit log: what it writes for the SMS walkthrough, and what it never writes. */
describe('the sample audit log', () => {
  let sample: SampleApp;
  let http: App;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    sample = await createSampleApp({ port: 0, timeoutMs: 2000, rateLimits: NO_RATE_LIMITS }, false);
    sample.app.useLogger(logger);
    await sample.app.init();
    http = sample.app.getHttpServer();
  });
  afterAll(() => sample.close());

  it('logs the sent code, the failed and the verified attempt, masked', async () => {
    const phone = '+372 5555 0042';
    const account = (
      await request(http)
        .post('/users')
        .send({ username: 'carol@example.com', phoneNumber: phone })
        .expect(201)
    ).body as { verigatorId: string; apiKey: string };
    const transfer = (token?: string) => {
      const req = request(http).post('/transfers').set('Authorization', `Bearer ${account.apiKey}`);
      if (token !== undefined) req.set('X-Verigator-Token', token);
      return req.send({ to: 'bob', amount: 5 });
    };
    await transfer().expect(401);
    const code = sample.simulator!.lastCode(account.verigatorId)!;
    const wrong = code === '000000' ? '111111' : '000000';
    await transfer(wrong).expect(401);
    await transfer(code).expect(201);

    const audit = logger.lines.filter((line) => line.text.includes('"Audit"'));
    const user = `user=${account.verigatorId}`;
    expect(audit.map((line) => [line.level, line.text.split(' ')[0]])).toEqual([
      ['debug', '"call'],
      ['debug', '"call'],
      ['log', '"codeSent'],
      ['debug', '"call'],
      ['log', '"failed'],
      ['debug', '"call'],
      ['log', '"verified'],
    ]);
    expect(audit[0].text).toContain('operation=users.create');
    expect(audit[2].text).toContain(
      `codeSent route=TransfersController.transfer ${user} method=sms outcome=refused`,
    );
    expect(audit[4].text).toContain(`reason=invalid`);
    const text = audit.map((line) => line.text).join('\n');
    for (const secret of [
      code,
      wrong,
      account.apiKey,
      sample.config.VERIGATOR_PASSWORD,
      'carol@example.com',
      '5555',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
