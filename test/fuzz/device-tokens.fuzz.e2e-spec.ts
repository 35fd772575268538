import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { VerigatorSimulator } from '../../lib/testing';
import { ADAPTERS, AccountController, createVerigatorApp } from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

const RUNS = 150;
const NAME = '__Host-verigator-device';

/** What an HTTP client can put in a header value: tab, visible ASCII, Latin-1. */
const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((code) => code !== 0x7f)
  .map((code) => String.fromCharCode(code));
const headerText = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'0123456789.-_ABCabcz+/='), maxLength: 60 }),
);

/** A valid token, bent: a character changed, cut, lengthened, another slot, or padded. */
const bent = (token: string) =>
  fc.oneof(
    fc
      .record({ at: fc.nat(token.length - 1), char: fc.constantFrom(...'0123456789.-_Aa') })
      .map(({ at, char }) => token.slice(0, at) + char + token.slice(at + 1))
      .filter((changed) => changed !== token),
    fc.nat(token.length - 1).map((length) => token.slice(0, length)),
    headerText.filter((more) => more !== '').map((more) => token + more),
    fc.nat(200).map((slot) => `${slot}${token.slice(token.indexOf('.'))}`),
    fc.constantFrom(` ${token}`, `"${token}"`, `${token};`),
  );

describe.each(ADAPTERS)('Hostile device tokens (%s)', (_name, adapter) => {
  let sim: VerigatorSimulator;
  const apps: Record<'header' | 'cookie', { app: INestApplication; token: string }> = {} as never;

  beforeAll(async () => {
    sim = await startSimulator();
    for (const transport of ['header', 'cookie'] as const) {
      const { app } = await createVerigatorApp(
        sim.url,
        // One attempt: a device token that counted toward the lockout would answer 429.
        { twoFactor: { trustedDevices: { transport }, maxAttempts: 1 } },
        { adapter, controllers: [AccountController] },
      );
      const http = () => request(app.getHttpServer()).post('/account/transfer');
      await http().set('x-user', 'alice').expect(401);
      const trusted = await http()
        .set('x-user', 'alice')
        .set('x-verigator-token', sim.lastCode('alice')!)
        .set('x-verigator-remember-device', 'true')
        .expect(201);
      const token =
        transport === 'header'
          ? trusted.headers['x-verigator-device-token']
          : /=([^;]+);/.exec(([] as string[]).concat(trusted.headers['set-cookie'])[0])![1];
      apps[transport] = { app, token };
    }
  });
  afterAll(async () => {
    for (const { app } of Object.values(apps)) await app.close();
    await sim.close();
  });

  it('a hostile X-Verigator-Device-Token never passes, never fails, never locks out', async () => {
    const { app, token } = apps.header;
    await fc.assert(
      fc.asyncProperty(fc.oneof(headerText, bent(token)), async (hostile) => {
        fc.pre(hostile.trim() !== token); // HTTP drops the spaces around a header value
        const res = await request(app.getHttpServer())
          .post('/account/transfer')
          .set('x-user', 'alice')
          .set('x-verigator-device-token', hostile);
        expect([res.status, res.body.code]).toEqual([401, 'TWO_FACTOR_REQUIRED']);
      }),
      { numRuns: RUNS },
    );
    await request(app.getHttpServer())
      .post('/account/transfer')
      .set('x-user', 'alice')
      .set('x-verigator-device-token', token)
      .expect(201);
  });

  it('a hostile device cookie never passes, never fails, never locks out, and is cleared', async () => {
    const { app, token } = apps.cookie;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(headerText, bent(token)).filter((value) => !value.includes(';')),
        async (hostile) => {
          fc.pre(hostile.trim() !== token); // RFC 6265 drops the spaces around a cookie value
          const res = await request(app.getHttpServer())
            .post('/account/transfer')
            .set('x-user', 'alice')
            .set('cookie', `${NAME}=${hostile}`);
          expect([res.status, res.body.code]).toEqual([401, 'TWO_FACTOR_REQUIRED']);
          expect(res.headers['set-cookie']).toEqual([
            expect.stringMatching(`^${NAME}=; Max-Age=0`),
          ]);
        },
      ),
      { numRuns: RUNS },
    );
    await request(app.getHttpServer())
      .post('/account/transfer')
      .set('x-user', 'alice')
      .set('cookie', `${NAME}=${token}`)
      .expect(201);
  });
});
