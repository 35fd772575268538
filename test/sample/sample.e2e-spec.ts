import request from 'supertest';
import { SAMPLE_SERVICE_ID } from '../../sample/sample-bootstrap';
import { useSample } from '../utils/sample-app';

/** The README walkthrough and the sample's failure answers, on its embedded simulator. */
describe('the sample app', () => {
  const bed = useSample();
  const sim = () => bed.sim;
  let phoneSuffix = 100;

  async function signUp(username = `user${phoneSuffix}@example.com`) {
    const res = await request(bed.http)
      .post('/users')
      .send({ username, phoneNumber: `+372 5555 5${phoneSuffix++}` })
      .expect(201);
    return res.body as { username: string; verigatorId: string; apiKey: string };
  }

  function transfer(apiKey: string, token?: string) {
    const req = request(bed.http).post('/transfers').set('Authorization', `Bearer ${apiKey}`);
    if (token !== undefined) req.set('X-Verigator-Token', token);
    return req.send({ to: 'bob', amount: 100 });
  }

  function verifyRequests(): number {
    return sim()
      .requests()
      .filter((r) => r.method === 'PUT').length;
  }

  it('walks the SMS walkthrough: sign up, 401 with an SMS sent, retry with the code', async () => {
    const account = await signUp('alice@example.com');
    expect(account).toEqual({
      username: 'alice@example.com',
      verigatorId: expect.any(String),
      apiKey: expect.any(String),
    });

    const challenge = await transfer(account.apiKey).expect(401);
    expect(challenge.body).toMatchObject({
      statusCode: 401,
      code: 'TWO_FACTOR_REQUIRED',
      method: 'sms',
    });

    const outbox = await fetch(
      `${sim().url}/_simulator/messages?userId=${account.verigatorId}`,
    ).then((r) => r.json() as Promise<{ code: string; to: string }[]>);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].to).toMatch(/^\+3725555/);

    const done = await transfer(account.apiKey, outbox[0].code).expect(201);
    expect(done.body).toEqual({
      status: 'sent',
      from: 'alice@example.com',
      to: 'bob',
      amount: 100,
    });
    // the code is used up: the next transfer needs a new one
    await transfer(account.apiKey, outbox[0].code).expect(401);
  });

  it('walks the TOTP variant: with an enrolled device no SMS is sent and the app code passes', async () => {
    const account = await signUp();
    const userUrl = `${sim().url}/_simulator/service/${SAMPLE_SERVICE_ID}/users/${account.verigatorId}`;
    expect((await fetch(`${userUrl}/devices`, { method: 'POST' })).status).toBe(201);

    const challenge = await request(bed.http)
      .post('/account/recovery-codes')
      .set('Authorization', `Bearer ${account.apiKey}`)
      .expect(401);
    expect(challenge.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'totp' });
    expect(sim().messages()).toHaveLength(0);

    const { code } = (await fetch(`${userUrl}/totp`).then((r) => r.json())) as { code: string };
    const codes = await request(bed.http)
      .post('/account/recovery-codes')
      .set('Authorization', `Bearer ${account.apiKey}`)
      .set('X-Verigator-Token', code)
      .expect(201);
    expect(codes.body.codes).toHaveLength(10);
  });

  it('falls back to SMS on the TOTP route when the user has no device', async () => {
    const account = await signUp();
    const challenge = await request(bed.http)
      .post('/account/recovery-codes')
      .set('Authorization', `Bearer ${account.apiKey}`)
      .expect(401);
    expect(challenge.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
    expect(sim().messages({ userId: account.verigatorId })).toHaveLength(1);
  });

  it('sends one SMS for two token-less requests within the cooldown', async () => {
    const account = await signUp();
    await transfer(account.apiKey).expect(401);
    const second = await transfer(account.apiKey).expect(401);
    expect(second.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
    expect(sim().messages({ userId: account.verigatorId })).toHaveLength(1);
  });

  it('locks a user out after 5 failed codes, without asking Verigator again', async () => {
    const account = await signUp();
    await transfer(account.apiKey).expect(401);
    const code = sim().lastCode(account.verigatorId)!;
    const wrong = code === '000000' ? '111111' : '000000';

    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push((await transfer(account.apiKey, wrong)).body.code);
    // Verigator itself throttles the code after its 3 wrong tries
    expect(answers).toEqual([
      'TWO_FACTOR_INVALID',
      'TWO_FACTOR_INVALID',
      'TWO_FACTOR_INVALID',
      'TWO_FACTOR_THROTTLED',
      'TWO_FACTOR_THROTTLED',
    ]);
    expect(verifyRequests()).toBe(5);

    const locked = await transfer(account.apiKey, code).expect(429);
    expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(verifyRequests()).toBe(5);
  });

  it('answers 401 without a first factor, before any second factor', async () => {
    await request(bed.http).post('/transfers').send({ to: 'bob', amount: 1 }).expect(401);
    expect(sim().requests()).toHaveLength(0);
  });

  /** A sign-up the sample refuses with 400, sending nothing to Verigator. */
  async function refusedSignUp(body: object) {
    const res = await request(bed.http).post('/users').send(body).expect(400);
    expect(sim().requests()).toHaveLength(0);
    return res;
  }

  it('rejects a bad sign-up body naming the fields, sending nothing to Verigator', async () => {
    const res = await refusedSignUp({ username: '', phoneNumber: '12' });
    expect(res.body.message.join(' ')).toMatch(/username.*phoneNumber/);
  });

  it('refuses a sign-up with a number outside the countries it serves, sending nothing', async () => {
    const res = await refusedSignUp({
      username: 'eve@example.com',
      phoneNumber: '+1 202 555 0143',
    });
    expect(res.body).toMatchObject({ code: 'INVALID_DATA', fields: [{ field: 'phoneNumber' }] });
    expect(res.text).not.toContain('555 0143');
  });

  it('GET /health reports Verigator up, then down (unreachable) without credentials', async () => {
    const up = await request(bed.http).get('/health').expect(200);
    expect(up.body.info.verigator).toMatchObject({ status: 'up' });
    sim().injectFault({ reset: true });
    // Within the indicator's 5 s cache, the outcome is reused: nothing is sent.
    const calls = sim().requests().length;
    await request(bed.http).get('/health').expect(200);
    expect(sim().requests()).toHaveLength(calls);
    // Only the clock moves on (timers stay real): the next check probes again.
    jest.useFakeTimers({
      now: Date.now() + 6_000,
      doNotFake: [
        ...(['hrtime', 'nextTick', 'performance', 'queueMicrotask'] as const),
        ...(['setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] as const),
        ...(['setTimeout', 'clearTimeout'] as const),
      ],
    });
    try {
      const down = await request(bed.http).get('/health').expect(503);
      expect(down.body.error.verigator).toMatchObject({ status: 'down', reason: 'unreachable' });
      expect(down.text).not.toContain(bed.sample.config.VERIGATOR_PASSWORD);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('Verigator failures through the exception filter and the guard', () => {
    /** The path of one user at Verigator, which `GET /users` reads for the caller. */
    const USER_PATH = '/**/users/*';
    let caller: { apiKey: string };
    beforeAll(async () => (caller = await signUp()));
    const me = () =>
      request(bed.http).get('/users').set('Authorization', `Bearer ${caller.apiKey}`);

    it('fails closed when Verigator fails while sending the code', async () => {
      const account = await signUp();
      sim().injectFault({ method: 'POST', path: '/**/auth', status: 500 });
      const res = await transfer(account.apiKey).expect(502);
      expect(res.body.code).toBe('INTERNAL_ERROR');
      expect(sim().messages()).toHaveLength(0);
      // the failed send does not start a cooldown: the next request sends the code
      await transfer(account.apiKey).expect(401);
      expect(sim().messages({ userId: account.verigatorId })).toHaveLength(1);
    });

    it.each([
      [
        'InvalidDataError from Verigator (422) -> 400',
        () => sim().injectFault({ method: 'POST', path: '/**/users', status: 422 }),
        { username: 'x@example.com', phoneNumber: '+3725555599' },
        400,
        'INVALID_DATA',
      ],
      [
        'ResourceAlreadyExistsError -> 409',
        () => signUp('taken@example.com'),
        { username: 'taken@example.com', phoneNumber: '+3725555598' },
        409,
        'RESOURCE_ALREADY_EXISTS',
      ],
    ])('%s', async (_title, before, body, status, code) => {
      await before();
      const res = await request(bed.http).post('/users').send(body).expect(status);
      expect(res.body.code).toBe(code);
    });

    it.each([
      ['NoSuchResourceError', 404, { status: 404 }, 'NO_SUCH_RESOURCE'],
      ['RateLimitedError', 429, { status: 429, times: 3 }, 'RATE_LIMITED'],
      ['InvalidResponseError', 502, { status: 200, body: 'not json' }, 'INVALID_RESPONSE'],
      ['ConnectionError', 503, { reset: true, times: 3 }, 'CONNECTION_ERROR'],
      ['RequestTimeoutError', 504, { delayMs: 2500 }, 'REQUEST_TIMEOUT'],
    ])('%s -> %i', async (_error, status, fault, code) => {
      sim().injectFault({ method: 'GET', path: USER_PATH, ...fault });
      const res = await me().expect(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
    });

    it.each([
      [401, 'WRONG_CREDENTIALS'],
      [403, 'RESOURCE_FORBIDDEN'],
      [500, 'INTERNAL_ERROR'],
    ])('Verigator %i -> 502 %s with a generic message', async (status, code) => {
      sim().injectFault({
        method: 'GET',
        path: USER_PATH,
        status,
        body: { message: 'upstream detail' },
      });
      const res = await me().expect(502);
      expect(res.body.code).toBe(code);
      expect(JSON.stringify(res.body)).not.toContain('upstream detail');
      expect(JSON.stringify(res.body)).not.toContain(bed.sample.config.VERIGATOR_PASSWORD);
    });
  });
});
