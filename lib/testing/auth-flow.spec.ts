import { createHmac } from 'node:crypto';
import { base32Decode } from './base32';
import { currentTotp } from './totp-device';
import { VerigatorSimulator } from './verigator-simulator';

const SERVICE = 'svc';
const USER = 'alice-id';
const PHONE = '+3725555555';
const AUTH_PATH = `/v1/service/service/${SERVICE}/users/${USER}/auth`;
const ONE_USER_SEED = {
  services: [
    {
      id: SERVICE,
      name: 'S',
      fqdn: 's.example',
      users: [{ id: USER, username: 'a', phoneNumber: PHONE }],
    },
  ],
};

async function call(
  sim: VerigatorSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      'X-Service-Auth': 'demo:demo',
      Accept: 'application/json',
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}

/** RFC 6238 with SHA-1, written from the RFC, independent of the simulator's otplib wiring. */
function referenceTotp(secret: string, epochMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(epochMs / 1000 / 30)));
  const hmac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 1_000_000).toString().padStart(6, '0');
}

const invalid = {
  verified: false,
  status: { throttled: false, expired: false, invalid: true, result: 'INVALID' },
};
const expired = {
  verified: false,
  status: { throttled: false, expired: true, invalid: false, result: 'EXPIRED' },
};
const throttled = {
  verified: false,
  status: { throttled: true, expired: false, invalid: false, result: 'THROTTLED' },
};

describe('VerigatorSimulator authentication', () => {
  let sim: VerigatorSimulator;
  const start = Date.parse('2024-05-01T10:00:00.000Z');
  let now = start;

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({
      clock: () => now,
      seed: {
        services: [
          {
            id: SERVICE,
            name: 'CoffeeShop',
            fqdn: 'coffeeshop.com',
            users: [
              { id: USER, username: 'alice@example.com', phoneNumber: PHONE },
              { id: 'bob-id', username: 'bob', phoneNumber: '+4401234567' },
            ],
          },
        ],
      },
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    now = start;
    sim.reset();
  });

  describe('SMS', () => {
    it('initiate sms answers 200 {method: "sms"} and sends a 6-digit code to the phone', async () => {
      const res = await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      expect(res).toEqual({ status: 200, json: { method: 'sms' } });
      const messages = sim.messages();
      expect(messages).toEqual([
        {
          to: PHONE,
          text: expect.stringContaining('CoffeeShop'),
          code: expect.stringMatching(/^\d{6}$/),
          serviceId: SERVICE,
          userId: USER,
          sentAt: '2024-05-01T10:00:00.000Z',
          status: 'pending',
        },
      ]);
      expect(messages[0].text).toContain(messages[0].code);
    });

    it('verifies the right code once: the code is used up', async () => {
      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const code = sim.lastCode(USER)!;
      expect(await call(sim, 'PUT', AUTH_PATH, { token: code })).toEqual({
        status: 200,
        json: { verified: true },
      });
      expect((await call(sim, 'PUT', AUTH_PATH, { token: code })).json).toEqual(invalid);
    });

    it('answers invalid for a wrong code, then accepts the right one', async () => {
      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const code = sim.lastCode(PHONE)!;
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await call(sim, 'PUT', AUTH_PATH, { token: wrong })).toEqual({
        status: 200,
        json: invalid,
      });
      expect((await call(sim, 'PUT', AUTH_PATH, { token: code })).json).toEqual({ verified: true });
    });

    it('throttles after 3 wrong tries, even for the right code, until a new initiate', async () => {
      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const code = sim.lastCode(USER)!;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 3; i++) {
        expect((await call(sim, 'PUT', AUTH_PATH, { token: wrong })).json).toEqual(invalid);
      }
      expect((await call(sim, 'PUT', AUTH_PATH, { token: code })).json).toEqual(throttled);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: wrong })).json).toEqual(throttled);

      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const fresh = sim.lastCode(USER)!;
      expect((await call(sim, 'PUT', AUTH_PATH, { token: fresh })).json).toEqual({
        verified: true,
      });
    });

    it('honours maxVerifyAttempts', async () => {
      const strict = await VerigatorSimulator.start({
        maxVerifyAttempts: 1,
        seed: ONE_USER_SEED,
      });
      try {
        await call(strict, 'POST', AUTH_PATH, { method: 'sms' });
        const code = strict.lastCode(USER)!;
        await call(strict, 'PUT', AUTH_PATH, { token: code === '000000' ? '111111' : '000000' });
        expect((await call(strict, 'PUT', AUTH_PATH, { token: code })).json).toEqual(throttled);
      } finally {
        await strict.close();
      }
    });

    it('expires the code after 5 minutes by default', async () => {
      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const code = sim.lastCode(USER)!;
      now += 300_000 - 1;
      await call(sim, 'POST', `/v1/service/service/${SERVICE}/users/bob-id/auth`, {
        method: 'sms',
      });
      now += 1;
      expect((await call(sim, 'PUT', AUTH_PATH, { token: code })).json).toEqual(expired);
    });

    it('accepts a code just before expiry, and honours codeTtlMs', async () => {
      const quick = await VerigatorSimulator.start({
        codeTtlMs: 1_000,
        clock: () => now,
        seed: ONE_USER_SEED,
      });
      try {
        await call(quick, 'POST', AUTH_PATH, { method: 'sms' });
        now += 999;
        expect((await call(quick, 'PUT', AUTH_PATH, { token: quick.lastCode(USER) })).json).toEqual(
          {
            verified: true,
          },
        );
        await call(quick, 'POST', AUTH_PATH, { method: 'sms' });
        now += 1_000;
        expect((await call(quick, 'PUT', AUTH_PATH, { token: quick.lastCode(USER) })).json).toEqual(
          expired,
        );
      } finally {
        await quick.close();
      }
    });

    it('replaces the previous code on a new initiate', async () => {
      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const first = sim.lastCode(USER)!;
      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const second = sim.lastCode(USER)!;
      expect(sim.messages({ userId: USER })).toHaveLength(2);
      if (first !== second) {
        expect((await call(sim, 'PUT', AUTH_PATH, { token: first })).json).toEqual(invalid);
      }
      expect((await call(sim, 'PUT', AUTH_PATH, { token: second })).json).toEqual({
        verified: true,
      });
    });

    it('answers invalid when nothing is pending', async () => {
      expect(await call(sim, 'PUT', AUTH_PATH, { token: '123456' })).toEqual({
        status: 200,
        json: invalid,
      });
    });

    it('initiate totp for a user without a device falls back to SMS', async () => {
      const res = await call(sim, 'POST', AUTH_PATH, { method: 'totp' });
      expect(res).toEqual({ status: 200, json: { method: 'sms' } });
      expect(sim.messages()).toHaveLength(1);
    });

    it.each([[{}], [{ method: 'email' }], [{ method: 'SMS' }], [{ method: 1 }]])(
      'answers 422 naming method for the initiate body %j',
      async (body) => {
        const res = await call(sim, 'POST', AUTH_PATH, body);
        expect(res.status).toBe(422);
        expect(res.json).toEqual({ message: expect.stringMatching(/^method /) });
      },
    );

    it.each([[{}], [{ token: 123456 }], [{ token: null }]])(
      'answers 422 naming token for the verify body %j',
      async (body) => {
        const res = await call(sim, 'PUT', AUTH_PATH, body);
        expect(res.status).toBe(422);
        expect(res.json).toEqual({ message: expect.stringMatching(/^token /) });
      },
    );
  });

  describe('TOTP', () => {
    it('enrols a device and verifies its current code; initiate totp sends nothing', async () => {
      const device = sim.enrolDevice(SERVICE, USER);
      expect(device.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(device.otpauthUrl).toBe(
        `otpauth://totp/CoffeeShop:alice%40example.com?secret=${device.secret}&issuer=CoffeeShop`,
      );
      expect(await call(sim, 'POST', AUTH_PATH, { method: 'totp' })).toEqual({
        status: 200,
        json: { method: 'totp' },
      });
      expect(sim.messages()).toEqual([]);
      const code = referenceTotp(device.secret, now);
      expect(sim.totp(SERVICE, USER)).toBe(code);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: code })).json).toEqual({ verified: true });
    });

    it('rejects a code that was already accepted (replay), and earlier steps', async () => {
      const { secret } = sim.enrolDevice(SERVICE, USER);
      const previous = referenceTotp(secret, now - 30_000);
      const current = referenceTotp(secret, now);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: current })).json).toEqual({
        verified: true,
      });
      expect((await call(sim, 'PUT', AUTH_PATH, { token: current })).json).toEqual(invalid);
      if (previous !== current) {
        expect((await call(sim, 'PUT', AUTH_PATH, { token: previous })).json).toEqual(invalid);
      }
      now += 30_000;
      const next = referenceTotp(secret, now);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: next })).json).toEqual({ verified: true });
    });

    it('accepts one step of drift either way, not two', async () => {
      const { secret } = sim.enrolDevice(SERVICE, USER);
      const at = (offset: number) => referenceTotp(secret, now + offset * 30_000);
      const codes = [-2, -1, 0, 1, 2].map(at);
      if (new Set(codes).size !== codes.length) {
        return;
      }
      expect((await call(sim, 'PUT', AUTH_PATH, { token: at(-2) })).json).toEqual(invalid);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: at(2) })).json).toEqual(invalid);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: at(-1) })).json).toEqual({
        verified: true,
      });

      sim.enrolDevice(SERVICE, 'bob-id');
      const bob = `/v1/service/service/${SERVICE}/users/bob-id/auth`;
      expect((await call(sim, 'PUT', bob, { token: sim.totp(SERVICE, 'bob-id') })).json).toEqual({
        verified: true,
      });
    });

    it('accepts a future step within tolerance', async () => {
      const { secret } = sim.enrolDevice(SERVICE, USER);
      const ahead = referenceTotp(secret, now + 30_000);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: ahead })).json).toEqual({
        verified: true,
      });
    });

    it('answers invalid for malformed TOTP tokens', async () => {
      sim.enrolDevice(SERVICE, USER);
      for (const token of ['', 'abcdef', '12345', '1234567']) {
        expect((await call(sim, 'PUT', AUTH_PATH, { token })).json).toEqual(invalid);
      }
    });

    it('checks a pending SMS code first, then the device', async () => {
      const { secret } = sim.enrolDevice(SERVICE, USER);
      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      expect(sim.messages()).toHaveLength(1);
      const sms = sim.lastCode(USER)!;
      expect((await call(sim, 'PUT', AUTH_PATH, { token: sms })).json).toEqual({ verified: true });

      await call(sim, 'POST', AUTH_PATH, { method: 'sms' });
      const totp = referenceTotp(secret, now);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: totp })).json).toEqual({ verified: true });
    });

    it('agrees with the stock otplib package (its default plugins), run in plain Node', async () => {
      const { secret } = sim.enrolDevice(SERVICE, USER);
      const { execFileSync } = await import('node:child_process');
      const epoch = Math.floor(now / 1000);
      const script = `const o = require('otplib'); process.stdout.write(o.generateSync({ secret: ${JSON.stringify(secret)}, epoch: ${epoch} }));`;
      const fromOtplib = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect(sim.totp(SERVICE, USER)).toBe(fromOtplib);
      expect((await call(sim, 'PUT', AUTH_PATH, { token: fromOtplib })).json).toEqual({
        verified: true,
      });
    });

    it.each([
      [59_000, '287082'],
      [1_111_111_109_000, '081804'],
      [1_234_567_890_000, '005924'],
      [20_000_000_000_000, '353130'],
    ])(
      'matches the RFC 6238 SHA-1 test vector at %i ms, as the reference and the simulator',
      (at, code) => {
        const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
        expect(referenceTotp(secret, at)).toBe(code);
        expect(currentTotp({ secret }, at)).toBe(code);
      },
    );

    it('enrolDevice and totp throw 404 errors for unknown users or missing devices', () => {
      expect(() => sim.enrolDevice(SERVICE, 'nobody')).toThrow(
        expect.objectContaining({ status: 404 }),
      );
      expect(() => sim.totp(SERVICE, USER)).toThrow(/no TOTP device/);
    });
  });
});
