import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { VerigatorSimulator } from './verigator-simulator';

const SERVICE = 'svc';
const ALICE = 'alice-id';
const seed = {
  services: [
    {
      id: SERVICE,
      name: 'CoffeeShop',
      fqdn: 'coffeeshop.com',
      users: [{ id: ALICE, username: 'alice', phoneNumber: '+3725555555' }],
    },
  ],
};
const AUTH_PATH = `/v1/service/service/${SERVICE}/users/${ALICE}/auth`;

interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A request with exactly these headers (fetch would not let a test set Host or Origin). */
function raw(
  sim: VerigatorSimulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: sim.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('VerigatorSimulator is safe on a developer machine', () => {
  let sim: VerigatorSimulator;
  let host: string;

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({ seed });
    host = `127.0.0.1:${sim.port}`;
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  const fault = JSON.stringify({ path: '/**/auth', status: 200, body: { verified: true } });

  describe('a body must be sent as application/json (415 otherwise: no CORS-free form posts)', () => {
    it.each([
      ['text/plain', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
    ])('refuses a fault sent as %s, and adds none', async (_name, contentType) => {
      const res = await raw(
        sim,
        'POST',
        '/_simulator/faults',
        {
          Host: host,
          'Content-Type': contentType,
        },
        fault,
      );
      expect(res.status).toBe(415);
      expect(JSON.parse(res.text)).toEqual({
        message: 'Request bodies must be sent with Content-Type: application/json',
      });
      expect(sim.requests()).toEqual([]);
      expect((await raw(sim, 'GET', '/_simulator/faults', { Host: host })).text).toBe('[]');
    });

    it('refuses a body without a Content-Type', async () => {
      const res = await raw(sim, 'POST', '/_simulator/faults', { Host: host }, fault);
      expect(res.status).toBe(415);
    });

    it('refuses an API body that is not application/json, even with valid credentials', async () => {
      const res = await raw(
        sim,
        'POST',
        AUTH_PATH,
        { Host: host, 'Content-Type': 'text/plain', 'X-Service-Auth': 'demo:demo' },
        '{"method":"sms"}',
      );
      expect(res.status).toBe(415);
      expect(sim.messages()).toEqual([]);
    });

    it('accepts application/json with parameters, any case', async () => {
      const res = await raw(
        sim,
        'POST',
        '/_simulator/faults',
        { Host: host, 'Content-Type': 'Application/JSON; charset=utf-8' },
        fault,
      );
      expect(res.status).toBe(201);
    });
  });

  describe('the Host header must name this machine (no DNS rebinding)', () => {
    it.each([
      ['the control API', 'POST', '/_simulator/reset'],
      ['the API', 'GET', `/v1/service/service/${SERVICE}`],
      ['the inbox page', 'GET', '/'],
    ])('answers 403 to %s under another host name', async (_name, method, path) => {
      const res = await raw(sim, method, path, {
        Host: `rebind.attacker.example:${sim.port}`,
        'X-Service-Auth': 'demo:demo',
      });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text).message).toContain('Host');
      expect(res.text).not.toContain('attacker');
    });

    it('a rebound host name cannot inject a fault', async () => {
      const res = await raw(
        sim,
        'POST',
        '/_simulator/faults',
        { Host: `rebind.attacker.example:${sim.port}`, 'Content-Type': 'application/json' },
        fault,
      );
      expect(res.status).toBe(403);
      expect((await raw(sim, 'GET', '/_simulator/faults', { Host: host })).text).toBe('[]');
    });

    it.each([
      `127.0.0.1:PORT`,
      `localhost:PORT`,
      `LOCALHOST`,
      `[::1]:PORT`,
      `app.localhost:PORT`,
      `192.168.1.20:PORT`,
    ])('accepts %s (loopback names and IP addresses cannot be rebound)', async (value) => {
      const res = await raw(sim, 'GET', '/_simulator/health', {
        Host: value.replace('PORT', String(sim.port)),
      });
      expect(res.status).toBe(200);
    });

    it('accepts a host name given in allowedHosts', async () => {
      const named = await VerigatorSimulator.start({ allowedHosts: ['devbox.test'] });
      try {
        const ok = await raw(named, 'GET', '/_simulator/health', { Host: 'devbox.test:8080' });
        expect(ok.status).toBe(200);
        const other = await raw(named, 'GET', '/_simulator/health', { Host: 'other.test' });
        expect(other.status).toBe(403);
      } finally {
        await named.close();
      }
    });
  });

  describe('another origin cannot drive it (no CORS, Origin checked)', () => {
    it('refuses a body-less cross-origin POST (a "simple" request) with 403 and keeps the state', async () => {
      sim.injectFault({ path: '/nowhere', status: 500 });
      const res = await raw(sim, 'POST', '/_simulator/reset', {
        Host: host,
        Origin: 'http://evil.example',
      });
      expect(res.status).toBe(403);
      expect(sim.requests()).toEqual([]);
      expect((await raw(sim, 'GET', '/_simulator/faults', { Host: host })).text).toContain(
        'nowhere',
      );
    });

    it.each(['null', `http://localhost:${1}`, `https://127.0.0.1:PORT`])(
      'refuses Origin %s (not this origin)',
      async (origin) => {
        const res = await raw(sim, 'POST', '/_simulator/reset', {
          Host: host,
          Origin: origin.replace('PORT', String(sim.port)),
        });
        expect(res.status).toBe(403);
      },
    );

    it('refuses a cross-site GET without Origin (an <img> tag) before it can use up a fault', async () => {
      sim.injectFault({ path: '/**/auth', status: 503 });
      const res = await raw(sim, 'GET', AUTH_PATH, {
        Host: host,
        'Sec-Fetch-Site': 'cross-site',
        'Sec-Fetch-Mode': 'no-cors',
        'Sec-Fetch-Dest': 'image',
      });
      expect(res.status).toBe(403);
      expect(sim.requests()).toEqual([]);
      expect((await raw(sim, 'GET', '/_simulator/faults', { Host: host })).text).toContain('auth');
    });

    const iframe = {
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'iframe',
    };
    const link = {
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
    };
    const sameSite = {
      'Sec-Fetch-Site': 'same-site',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'iframe',
    };

    it.each([
      ['an iframe on another site', iframe],
      ['a link on another site', link],
      ['an iframe on another port of localhost (same site)', sameSite],
    ])(
      'refuses a navigation from %s to the API before it can use up a fault',
      async (_name, headers) => {
        sim.injectFault({ path: '/**/auth', status: 503 });
        const res = await raw(sim, 'GET', AUTH_PATH, { Host: host, ...headers });
        expect(res.status).toBe(403);
        expect(sim.requests()).toEqual([]);
        expect((await raw(sim, 'GET', '/_simulator/faults', { Host: host })).text).toContain(
          'auth',
        );
      },
    );

    it.each([
      ['GET', '/_simulator/events'],
      ['GET', '/_simulator/messages'],
      ['GET', '/_simulator/faults'],
      ['GET', `/_simulator/service/${SERVICE}/users/${ALICE}/totp`],
      ['GET', '/_simulator/inbox/inbox.js'],
      ['POST', '/_simulator/reset'],
    ])('refuses a cross-site navigation to %s %s', async (method, path) => {
      sim.enrolDevice(SERVICE, ALICE);
      const res = await raw(sim, method, path, { Host: host, ...iframe });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).not.toMatch(/\d{6}/);
    });

    it.each([
      ['typed in the address bar', { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' }],
      ['read by the inbox page', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' }],
      ['read by a tool that sends no Sec-Fetch-* header', {}],
    ])('serves the control API %s', async (_name, headers) => {
      const res = await raw(sim, 'GET', '/_simulator/messages', { Host: host, ...headers });
      expect(res.status).toBe(200);
    });

    it('still opens the inbox page from a link on another site', async () => {
      const res = await raw(sim, 'GET', '/', {
        Host: host,
        'Sec-Fetch-Site': 'cross-site',
        'Sec-Fetch-Mode': 'navigate',
      });
      expect(res.status).toBe(200);
    });

    it('accepts its own origin (the inbox page)', async () => {
      const res = await raw(sim, 'POST', '/_simulator/reset', {
        Host: host,
        Origin: `http://${host}`,
      });
      expect(res.status).toBe(204);
    });

    it('answers a CORS preflight and a cross-origin GET with no Access-Control-* header', async () => {
      const preflight = await raw(sim, 'OPTIONS', '/_simulator/faults', {
        Host: host,
        Origin: `http://${host}`,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      });
      const get = await raw(sim, 'GET', '/_simulator/messages', {
        Host: host,
        Origin: `http://${host}`,
      });
      for (const res of [preflight, get]) {
        expect(
          Object.keys(res.headers).filter((name) => name.startsWith('access-control-')),
        ).toEqual([]);
        expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      expect(preflight.status).toBe(405);
    });
  });

  describe('the request log keeps a bounded entry per request', () => {
    const big = JSON.stringify({ method: 'sms', padding: 'x'.repeat(1024 * 1024 - 100) });

    it('keeps at most 2 KiB of an authenticated body, marked as truncated', async () => {
      const res = await raw(
        sim,
        'POST',
        AUTH_PATH,
        { Host: host, 'Content-Type': 'application/json', 'X-Service-Auth': 'demo:demo' },
        big,
      );
      expect(res.status).toBe(200);
      const [entry] = sim.requests();
      expect(entry).toMatchObject({ method: 'POST', authenticated: true, truncated: true });
      expect(typeof entry.body).toBe('string');
      expect((entry.body as string).length).toBeLessThanOrEqual(2048);
      expect(entry.body as string).toBe(big.slice(0, 2048));
    });

    it('keeps no body of an unauthenticated request', async () => {
      const res = await raw(
        sim,
        'POST',
        AUTH_PATH,
        { Host: host, 'Content-Type': 'application/json', 'X-Service-Auth': 'demo:wrong' },
        big,
      );
      expect(res.status).toBe(401);
      expect(sim.requests()).toEqual([
        expect.objectContaining({ method: 'POST', authenticated: false, body: null }),
      ]);
    });

    it('bounds the path and the headers it keeps', async () => {
      const headers: Record<string, string> = {
        Host: host,
        'X-Service-Auth': `${'u'.repeat(2000)}:secret`,
      };
      for (let i = 0; i < 20; i += 1) {
        headers[`x-filler-${i}`] = 'f'.repeat(300);
      }
      const res = await raw(sim, 'GET', `/v1/service/service/${'p'.repeat(3000)}`, headers);
      expect(res.status).toBe(401);
      const [entry] = sim.requests();
      expect(entry.truncated).toBe(true);
      expect(entry.path.length).toBeLessThanOrEqual(1024);
      expect(JSON.stringify(entry.headers).length).toBeLessThanOrEqual(4096);
      expect(JSON.stringify(entry)).not.toContain('secret');
    });
  });

  describe('fault paths cost bounded work: no regular expressions', () => {
    it('refuses at once the 7 KB pattern that used to take 17 s to compile', async () => {
      const res = await raw(
        sim,
        'POST',
        '/_simulator/faults',
        { Host: host, 'Content-Type': 'application/json' },
        JSON.stringify({ path: 'a{1000}'.repeat(1000), status: 500 }),
      );
      expect(res.status).toBe(422);
      expect(JSON.parse(res.text).message).toMatch(/^path .*1024 characters/);
      expect((await raw(sim, 'GET', '/_simulator/faults', { Host: host })).text).toBe('[]');
    });

    it('matches wildcards against a long path segment by segment, never backtracking', async () => {
      sim.injectFault({ path: '/**/a/b', status: 418 });
      const long = `/${'a/'.repeat(2000)}c`;
      expect((await raw(sim, 'GET', long, { Host: host })).status).toBe(404);
      expect((await raw(sim, 'GET', '/x/a/b', { Host: host })).status).toBe(418);
    });
  });

  describe('fault response headers', () => {
    it('answers a 429 with Retry-After', async () => {
      const res = await raw(
        sim,
        'POST',
        '/_simulator/faults',
        { Host: host, 'Content-Type': 'application/json' },
        JSON.stringify({ path: '/**/auth', status: 429, headers: { 'Retry-After': '7' } }),
      );
      expect(res.status).toBe(201);
      expect(JSON.parse(res.text)).toMatchObject({ headers: { 'Retry-After': '7' } });
      const faulted = await raw(
        sim,
        'POST',
        AUTH_PATH,
        { Host: host, 'Content-Type': 'application/json', 'X-Service-Auth': 'demo:demo' },
        '{"method":"sms"}',
      );
      expect(faulted.status).toBe(429);
      expect(faulted.headers['retry-after']).toBe('7');
    });

    it.each([
      [{ status: 429, headers: ['Retry-After'] }],
      [{ status: 429, headers: { 'Bad Name': '1' } }],
      [{ status: 429, headers: { 'Retry-After': 7 } }],
      [{ status: 429, headers: { 'X-Evil': 'a\r\nSet-Cookie: x=1' } }],
      [{ status: 429, headers: { 'Content-Length': '1' } }],
      [{ delayMs: 10, headers: { 'Retry-After': '1' } }],
    ])('refuses invalid headers %j with 422 naming headers', (input) => {
      expect(() => sim.injectFault(input as never)).toThrow(/headers/);
    });
  });

  it('refuses an empty password at start', async () => {
    await expect(VerigatorSimulator.start({ password: '' })).rejects.toThrow(/password/);
  });
});
