import request from 'supertest';
import { useSample } from '../utils/sample-app';

/**
 * The walkthrough's steps 5 to 10, as a user of the sample sees them: a trusted device, recovery
 * codes, revoking devices and a phone change, on each platform.
 */
describe.each(['express', 'fastify'] as const)(
  'the sample on %s: devices, codes, phone',
  (platform) => {
    const bed = useSample({ platform });
    const sim = () => bed.sim;
    let phoneSuffix = 100;
    const transferBody = { to: 'bob', amount: 100 };

    interface Account {
      verigatorId: string;
      apiKey: string;
    }

    async function signUp(): Promise<Account & { phoneNumber: string }> {
      const phoneNumber = `+37255556${phoneSuffix++}`;
      const res = await request(bed.http)
        .post('/users')
        .send({ username: `user${phoneSuffix}@example.com`, phoneNumber })
        .expect(201);
      return { ...(res.body as Account), phoneNumber };
    }

    /** `method` on `path` as `account`, with the given headers (values `undefined` are left out). */
    function call(
      method: 'post' | 'put' | 'delete',
      path: string,
      account: Account,
      headers: Record<string, string | undefined> = {},
      body: object = path === '/transfers' ? transferBody : {},
    ) {
      const req = request(bed.http)[method](path).set('Authorization', `Bearer ${account.apiKey}`);
      for (const [name, value] of Object.entries(headers)) if (value) req.set(name, value);
      return req.send(body);
    }

    const sms = (account: Account) => sim().messages({ userId: account.verigatorId }).length;
    const code = (account: Account) => sim().lastCode(account.verigatorId)!;

    /** A protected call done with a fresh SMS code: 401 (the code is sent), then with the code. */
    async function withFreshCode(
      method: 'post' | 'put' | 'delete',
      path: string,
      account: Account,
      headers: Record<string, string> = {},
      body?: object,
    ) {
      const challenge = await call(method, path, account, {}, body).expect(401);
      expect(challenge.body.code).toBe('TWO_FACTOR_REQUIRED');
      return call(method, path, account, { ...headers, 'X-Verigator-Token': code(account) }, body);
    }

    async function trustDevice(account: Account): Promise<string> {
      const res = await withFreshCode('post', '/transfers', account, {
        'X-Verigator-Remember-Device': 'true',
      });
      expect(res.status).toBe(201);
      const token = res.headers['x-verigator-device-token'];
      expect(token).toEqual(expect.any(String));
      return token;
    }

    it.each([
      [
        'trusts a device: the next transfer with its token needs no code and sends no SMS',
        'own',
        201,
        { status: 'sent', to: 'bob' },
      ],
      [
        "refuses a device token with another account's API key: 401 and an SMS to that account",
        'another',
        401,
        { code: 'TWO_FACTOR_REQUIRED', method: 'sms' },
      ],
    ] as const)('%s', async (_title, key, status, body) => {
      const alice = await signUp();
      const caller = key === 'own' ? alice : await signUp();
      const device = await trustDevice(alice);
      expect(sms(alice)).toBe(1);

      const res = await call('post', '/transfers', caller, { 'X-Verigator-Device-Token': device });

      expect(res.status).toBe(status);
      expect(res.body).toMatchObject(body);
      expect(sms(alice)).toBe(1);
      expect(sms(caller)).toBe(1);
    });

    it('revokes every device behind a fresh code: the device token no longer passes', async () => {
      const alice = await signUp();
      const device = await trustDevice(alice);

      // the device token is no fresh factor: 401 and a code is sent
      const refused = await call('delete', '/account/trusted-devices', alice, {
        'X-Verigator-Device-Token': device,
      });
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('TWO_FACTOR_REQUIRED');
      const revoked = await call('delete', '/account/trusted-devices', alice, {
        'X-Verigator-Token': code(alice),
      });
      expect(revoked.status).toBe(204);

      const after = await call('post', '/transfers', alice, { 'X-Verigator-Device-Token': device });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('TWO_FACTOR_REQUIRED');
    });

    it('gives recovery codes behind a fresh code; each passes a transfer once, without an SMS', async () => {
      const alice = await signUp();
      const res = await withFreshCode('post', '/account/recovery-codes', alice);
      expect(res.status).toBe(201);
      const { codes } = res.body as { codes: string[] };
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      const sent = sms(alice);

      const passed = await call('post', '/transfers', alice, {
        'X-Verigator-Recovery-Code': codes[0],
      });
      expect(passed.status).toBe(201);
      expect(sms(alice)).toBe(sent);

      const again = await call('post', '/transfers', alice, {
        'X-Verigator-Recovery-Code': codes[0],
      });
      expect(again.status).toBe(401);
      // a recovery code is no fresh factor: it cannot make new codes
      const minted = await call('post', '/account/recovery-codes', alice, {
        'X-Verigator-Recovery-Code': codes[1],
      });
      expect(minted.status).toBe(401);
      const stillValid = await call('post', '/transfers', alice, {
        'X-Verigator-Recovery-Code': codes[1],
      });
      expect(stillValid.status).toBe(201);
    });

    it('locks the account after five wrong recovery codes: 429 TWO_FACTOR_LOCKED', async () => {
      const alice = await signUp();
      const { codes } = (await withFreshCode('post', '/account/recovery-codes', alice)).body as {
        codes: string[];
      };
      // A real code with its last character changed (to '0', unless it already is one: 1 in 32).
      const typo = codes[0].replace(/.$/, (last) => (last === '0' ? '2' : '0'));
      const wrong = ['AAAA-BBBB-CCCC-DDDD', 'not a code', typo];

      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await call('post', '/transfers', alice, {
          'X-Verigator-Recovery-Code': wrong[i % wrong.length],
        });
        statuses.push(res.status);
      }
      const locked = await call('post', '/transfers', alice, {
        'X-Verigator-Recovery-Code': codes[1],
      });

      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('changes the phone number behind a fresh code: a new Verigator user, codes carried over', async () => {
      const alice = await signUp();
      const device = await trustDevice(alice);
      const { codes } = (await withFreshCode('post', '/account/recovery-codes', alice)).body as {
        codes: string[];
      };
      const newPhone = `+37255557${phoneSuffix++}`;

      // neither a device token nor a recovery code will do
      for (const header of [
        { 'X-Verigator-Device-Token': device },
        { 'X-Verigator-Recovery-Code': codes[0] },
      ]) {
        const res = await call('put', '/account/phone', alice, header, { phoneNumber: newPhone });
        expect(res.status).toBe(401);
      }
      const changed = await call(
        'put',
        '/account/phone',
        alice,
        { 'X-Verigator-Token': code(alice) },
        { phoneNumber: newPhone },
      );

      expect(changed.status).toBe(200);
      const moved = { ...alice, verigatorId: changed.body.verigatorId as string };
      expect(moved.verigatorId).not.toBe(alice.verigatorId);
      // the next code goes to the new number; the device was trusted for the old user
      const challenge = await call('post', '/transfers', moved, {
        'X-Verigator-Device-Token': device,
      });
      expect(challenge.status).toBe(401);
      expect(sim().messages({ to: newPhone })).toHaveLength(1);
      // the recovery codes still work
      const recovered = await call('post', '/transfers', moved, {
        'X-Verigator-Recovery-Code': codes[0],
      });
      expect(recovered.status).toBe(201);
      // the old number is free for a new account
      await request(bed.http)
        .post('/users')
        .send({ username: 'carol@example.com', phoneNumber: alice.phoneNumber })
        .expect(201);
    });

    it('refuses a phone number another account has (409) or that is not one (400)', async () => {
      const alice = await signUp();
      const bob = await signUp();

      const taken = await withFreshCode(
        'put',
        '/account/phone',
        alice,
        {},
        {
          phoneNumber: bob.phoneNumber,
        },
      );
      expect(taken.status).toBe(409);
      const invalid = await withFreshCode(
        'put',
        '/account/phone',
        alice,
        {},
        { phoneNumber: '12' },
      );
      expect(invalid.status).toBe(400);
      expect(invalid.body).toMatchObject({ code: 'INVALID_DATA' });

      // alice keeps her Verigator user and number
      await call('post', '/transfers', alice).expect(401);
      expect(sim().messages({ to: alice.phoneNumber })).toHaveLength(3);
    });
  },
);
