import request from 'supertest';
import { CapturingLogger } from '../utils/create-verigator-app';
import { useSample } from '../utils/sample-app';

/** The sample's audit log: what it writes for the SMS walkthrough, and what it never writes. */
describe('the sample audit log', () => {
  const logger = new CapturingLogger();
  const bed = useSample({}, { logger });

  it('logs the sent code, the failed and the verified attempt, masked', async () => {
    const phone = '+372 5555 0042';
    const account = (
      await request(bed.http)
        .post('/users')
        .send({ username: 'carol@example.com', phoneNumber: phone })
        .expect(201)
    ).body as { verigatorId: string; apiKey: string };
    const transfer = (token?: string) => {
      const req = request(bed.http)
        .post('/transfers')
        .set('Authorization', `Bearer ${account.apiKey}`);
      if (token !== undefined) req.set('X-Verigator-Token', token);
      return req.send({ to: 'bob', amount: 5 });
    };
    await transfer().expect(401);
    const code = bed.sim.lastCode(account.verigatorId)!;
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
      bed.sample.config.VERIGATOR_PASSWORD,
      'carol@example.com',
      '5555',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
