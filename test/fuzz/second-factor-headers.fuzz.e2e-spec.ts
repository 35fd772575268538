import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { AddressInfo, connect } from 'node:net';
import { InMemoryRecoveryCodeStore, RecoveryCodesService } from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { ADAPTERS, AccountController, createVerigatorApp } from '../utils/create-verigator-app';
import { VALID_TOKEN, startSimulator } from '../utils/simulator';

const RUNS = 100;
const SEED = 19;
const COOKIE = '__Host-verigator-device';
/** In every hostile value: an answer or an upstream request that holds it reflected the value. */
const MARKER = 'Hq7ZkW3marker';

/** Characters of every kind: controls (NUL, CR, LF, DEL), Latin-1, any Unicode, lone surrogates. */
const anyChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.constantFrom('\u2028', '\ufeff', '\u200b', '\ud800', '\u0130', '\u00df', '\u017f'),
);
const junk = fc.string({ unit: anyChar, maxLength: 40 });
/** What a header value, a cookie or a recovery code is made of, bent. */
const shaped = fc.constantFrom(
  '',
  ' ',
  '0.',
  '.AAAA',
  '0.' + 'A'.repeat(43),
  'true',
  'TRUE ',
  '7WQK-3M9D-HX2P-A4RT',
  '7wqk 3m9d hx2p a4rt',
  '"quoted"',
  'a=b; Path=/; Domain=evil.example',
  `${COOKIE}=x; ${COOKIE}=y`,
  'x\r\nSet-Cookie: a=b',
  'x\r\nX-Verigator-Remember-Device: true',
  'x\r\n\r\nGET / HTTP/1.1',
  'x\nX-Other: y',
  '%0d%0aSet-Cookie:%20a=b',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
);
/** A hostile value: junk and shapes around the marker, or the marker after an overlong run. */
const hostile = fc.oneof(
  fc.tuple(fc.oneof(junk, shaped), fc.oneof(junk, shaped)).map(([a, b]) => a + MARKER + b),
  fc.nat(20_000).map((length) => 'A'.repeat(length) + MARKER),
);
/** Where the value goes: one of the four headers (the cookie also as the whole Cookie header). */
const place = fc.constantFrom(
  'x-verigator-device-token',
  'cookie',
  'cookie-header',
  'x-verigator-remember-device',
  'x-verigator-recovery-code',
);

/** An answer as raw text (status line, headers, body) and its status. */
interface RawAnswer {
  status: number;
  text: string;
}

/**
 * POSTs /account/transfer as `user` over a plain socket, the header lines written as given
 * (Latin-1 when they fit, else UTF-8): no HTTP client stands between the value and the server.
 */
function post(port: number, user: string, lines: string[]): Promise<RawAnswer> {
  const head = [
    'POST /account/transfer HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `X-User: ${user}`,
    'Content-Length: 0',
    'Connection: close',
    ...lines,
  ].join('\r\n');
  const text = `${head}\r\n\r\n`;
  const bytes = /^[\0-\xff]*$/.test(text) ? Buffer.from(text, 'latin1') : Buffer.from(text);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), text: answer });
    });
  });
}

/** The header line(s) that put `value` in `where`. */
function linesOf(where: string, value: string): string[] {
  if (where === 'cookie') return [`Cookie: ${COOKIE}=${value}`];
  if (where === 'cookie-header') return [`Cookie: ${value}`];
  return [`${where}: ${value}`];
}

/**
 * Hostile values in the headers of the second factors (`X-Verigator-Device-Token`, the device
 * cookie, `X-Verigator-Remember-Device`, `X-Verigator-Recovery-Code`), written on the wire as
 * they come: controls, header and cookie syntax, any Unicode, overlong. Every answer is a 4xx
 * (the app's 401, or Node's own 400/431 for what HTTP forbids), none passes, none holds the
 * value, no verification is asked of Verigator and nothing sent there holds the value; a
 * recovery code sends nothing at all. (Bent valid device tokens: device-tokens.fuzz.) Fixed
 * seed, bounded runs.
 */
describe.each(ADAPTERS)('Hostile second-factor headers (%s)', (_name, adapter) => {
  let sim: VerigatorSimulator;
  const apps: INestApplication[] = [];
  const ports: Record<'header' | 'cookie', number> = { header: 0, cookie: 0 };
  let deviceToken: string;
  let recoveryCode: string;

  beforeAll(async () => {
    sim = await startSimulator();
    for (const transport of ['header', 'cookie'] as const) {
      const { app } = await createVerigatorApp(
        sim.url,
        {
          twoFactor: {
            trustedDevices: { transport },
            recoveryCodes: {
              store: new InMemoryRecoveryCodeStore(),
              secrets: { v1: 'a recovery-code secret of 32+ characters' },
            },
            // Wrong recovery codes count toward the lockout: far more tries than the runs.
            maxAttempts: 1_000_000,
          },
        },
        { adapter, controllers: [AccountController] },
      );
      await app.listen(0, '127.0.0.1');
      apps.push(app);
      ports[transport] = (app.getHttpServer().address() as AddressInfo).port;
    }
    const trusted = await post(ports.header, 'alice', [
      `X-Verigator-Token: ${VALID_TOKEN}`,
      'X-Verigator-Remember-Device: true',
    ]);
    deviceToken = /^x-verigator-device-token: (.+)$/im.exec(trusted.text)![1].trim();
    [recoveryCode] = await apps[0].get(RecoveryCodesService).generate('alice');
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await sim.close();
  });

  it('answers any of them with a 4xx: never passing, never reflecting, sending none upstream', async () => {
    await fc.assert(
      fc.asyncProperty(place, hostile, async (where, value) => {
        sim.reset();
        const port = where.startsWith('cookie') ? ports.cookie : ports.header;
        const answer = await post(port, 'alice', linesOf(where, value));
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.text).not.toContain(MARKER);
        expect(answer.text.toLowerCase()).not.toContain('x-verigator-device-token:');
        expect(JSON.stringify(sim.requests())).not.toContain(MARKER);
        expect(sim.requests().filter((r) => r.method === 'PUT')).toEqual([]);
        if (where === 'x-verigator-recovery-code') expect(sim.requests()).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Nothing was locked, revoked or used up on the way.
    const device = await post(ports.header, 'alice', [`X-Verigator-Device-Token: ${deviceToken}`]);
    expect(device.status).toBe(201);
    const recovery = await post(ports.header, 'alice', [
      `X-Verigator-Recovery-Code: ${recoveryCode}`,
    ]);
    expect(recovery.status).toBe(201);
  });

  it('trusts a device after a valid code only when X-Verigator-Remember-Device is "true"', () =>
    fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: anyChar, maxLength: 12 }),
          fc.constantFrom('true', ' TRUE\t', 'True', 'yes', 'on', '1'),
        ),
        async (value) => {
          fc.pre(!/[\r\n]/.test(value));
          const answer = await post(ports.header, 'bob', [
            `X-Verigator-Token: ${VALID_TOKEN}`,
            `X-Verigator-Remember-Device: ${value}`,
          ]);
          // What Node hands the app: Latin-1 text, spaces and tabs around it dropped.
          const wire = /^[\0-\xff]*$/.test(value) ? value : Buffer.from(value).toString('latin1');
          const asked = wire.trim().toLowerCase() === 'true';
          if (answer.status === 400) return; // a byte Node's HTTP parser refuses
          expect(answer.status).toBe(201);
          expect(/^x-verigator-device-token: /im.test(answer.text)).toBe(asked);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    ));
});
