import { request as httpRequest } from 'node:http';
import { VerigatorSimulator } from './verigator-simulator';

const SERVICE = 'svc';
const ALICE = 'alice-id';
const BOB = 'bob-id';
const seed = {
  services: [
    {
      id: SERVICE,
      name: 'CoffeeShop',
      fqdn: 'coffeeshop.com',
      users: [
        { id: ALICE, username: 'alice', phoneNumber: '+3725555555' },
        { id: BOB, username: 'bob', phoneNumber: '+3725555556' },
      ],
    },
  ],
};
const API_HEADERS = { 'X-Service-Auth': 'demo:demo', 'Content-Type': 'application/json' };

describe('the inbox page and the control routes it reads', () => {
  let sim: VerigatorSimulator;
  let now: number;

  beforeAll(async () => {
    now = Date.parse('2024-05-01T10:00:00Z');
    sim = await VerigatorSimulator.start({ seed, clock: () => now, codeTtlMs: 60_000 });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  const userUrl = (userId: string) => `${sim.url}/v1/service/service/${SERVICE}/users/${userId}`;
  const initiate = (userId: string) =>
    fetch(`${userUrl(userId)}/auth`, {
      method: 'POST',
      headers: API_HEADERS,
      body: '{"method":"sms"}',
    });
  const verify = (userId: string, token: string) =>
    fetch(`${userUrl(userId)}/auth`, {
      method: 'PUT',
      headers: API_HEADERS,
      body: JSON.stringify({ token }),
    });
  const control = async (path: string) => {
    const res = await fetch(`${sim.url}/_simulator${path}`);
    return { status: res.status, json: (await res.json()) as unknown };
  };

  describe('the page', () => {
    it('is served at the root URL with a strict Content-Security-Policy and no inline script', async () => {
      const res = await fetch(`${sim.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const html = await res.text();
      expect(html).toContain('<script src="/_simulator/inbox/inbox.js" defer></script>');
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    });

    it.each([
      ['inbox.js', 'text/javascript; charset=utf-8'],
      ['inbox.css', 'text/css; charset=utf-8'],
      ['favicon.svg', 'image/svg+xml'],
    ])('serves %s as %s', async (file, type) => {
      const res = await fetch(`${sim.url}/_simulator/inbox/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('never writes markup from data in its script (no innerHTML, insertAdjacentHTML or document.write)', async () => {
      const script = await (await fetch(`${sim.url}/_simulator/inbox/inbox.js`)).text();
      expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    });

    it('answers 405 to a POST of the page, and its visits are not logged as API requests', async () => {
      const res = await fetch(`${sim.url}/`, { method: 'POST' });
      expect(res.status).toBe(405);
      await fetch(`${sim.url}/_simulator/inbox/inbox.js`);
      expect(sim.requests()).toEqual([]);
    });
  });

  describe('messages carry what became of their code', () => {
    it('pending, then verified', async () => {
      await initiate(ALICE);
      expect(sim.messages()[0].status).toBe('pending');
      await verify(ALICE, sim.lastCode(ALICE)!);
      expect(sim.messages()[0].status).toBe('verified');
    });

    it('superseded by a newer code, expired with time, throttled after wrong guesses', async () => {
      await initiate(ALICE);
      await initiate(ALICE);
      expect(sim.messages().map((m) => m.status)).toEqual(['superseded', 'pending']);
      now += 61_000;
      expect(sim.messages().map((m) => m.status)).toEqual(['superseded', 'expired']);
      await initiate(BOB);
      for (let i = 0; i < 3; i += 1) {
        await verify(BOB, 'nope');
      }
      expect(sim.messages({ userId: BOB })[0].status).toBe('throttled');
    });

    it('?limit= keeps the newest messages and requests; a bad limit is 422', async () => {
      await initiate(ALICE);
      await initiate(BOB);
      const messages = await control('/messages?limit=1');
      expect(messages.json).toEqual([expect.objectContaining({ userId: BOB })]);
      const requests = await control('/requests?limit=1');
      expect(requests.json).toEqual([
        expect.objectContaining({ path: `/v1/service/service/${SERVICE}/users/${BOB}/auth` }),
      ]);
      expect((await control('/messages?limit=0')).status).toBe(422);
      expect((await control('/requests?limit=x')).status).toBe(422);
    });
  });

  it('GET /_simulator/services lists services with their users and whether they have a device', async () => {
    sim.enrolDevice(SERVICE, BOB);
    expect((await control('/services')).json).toEqual([
      {
        id: SERVICE,
        name: 'CoffeeShop',
        fqdn: 'coffeeshop.com',
        users: [
          { id: ALICE, username: 'alice', phoneNumber: '+3725555555', hasDevice: false },
          { id: BOB, username: 'bob', phoneNumber: '+3725555556', hasDevice: true },
        ],
      },
    ]);
  });

  it('the TOTP route tells the seconds left, and qr.svg draws the device (404 without one)', async () => {
    const device = sim.enrolDevice(SERVICE, ALICE);
    now = Date.parse('2024-05-01T10:00:20Z');
    const base = `/service/${SERVICE}/users/${ALICE}`;
    expect((await control(`${base}/totp`)).json).toEqual({
      code: sim.totp(SERVICE, ALICE),
      secondsLeft: 10,
    });
    const svg = await fetch(`${sim.url}/_simulator${base}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(device.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const missing = await fetch(`${sim.url}/_simulator/service/${SERVICE}/users/${BOB}/qr.svg`);
    expect(missing.status).toBe(404);
  });

  it('without the optional package uqr, answers the QR code with 501 and the command to install it', async () => {
    const device = sim.enrolDevice(SERVICE, ALICE);
    await jest.isolateModulesAsync(async () => {
      jest.doMock('uqr', () => {
        throw Object.assign(new Error("Cannot find module 'uqr'"), { code: 'MODULE_NOT_FOUND' });
      });
      const { VerigatorSimulator: Isolated } = await import('./verigator-simulator');
      const bare = await Isolated.start({ seed });
      try {
        bare.enrolDevice(SERVICE, ALICE);
        const res = await fetch(`${bare.url}/_simulator/service/${SERVICE}/users/${ALICE}/qr.svg`);
        expect(res.status).toBe(501);
        expect(((await res.json()) as { message: string }).message).toContain(
          'npm install --save-dev uqr',
        );
        const totp = await fetch(`${bare.url}/_simulator/service/${SERVICE}/users/${ALICE}/totp`);
        expect(totp.status).toBe(200);
      } finally {
        await bare.close();
        jest.dontMock('uqr');
      }
    });
    expect(device.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
  });

  describe('GET /_simulator/events', () => {
    it('streams a change event when an SMS is sent', async () => {
      const received = new Promise<string>((resolve, reject) => {
        const req = httpRequest(`${sim.url}/_simulator/events`, (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes('event: change')) {
              req.destroy();
              resolve(text);
            } else if (text.startsWith('retry:')) {
              void initiate(ALICE);
            }
          });
        });
        req.on('error', reject);
        req.end();
      });
      expect(await received).toContain('event: change\ndata: {}\n\n');
    });

    it('never locks out an inbox: with 32 streams open, a new one opens and the oldest ends', async () => {
      const open = (): Promise<{ ended: Promise<void>; close: () => void }> =>
        new Promise((resolve, reject) => {
          const req = httpRequest(`${sim.url}/_simulator/events`, (res) => {
            expect(res.statusCode).toBe(200);
            const ended = new Promise<void>((done) => res.on('end', done));
            res.resume();
            resolve({ ended, close: () => req.destroy() });
          });
          req.on('error', reject);
          req.end();
        });
      const streams = [];
      for (let i = 0; i < 32; i++) streams.push(await open());
      try {
        const newest = await open();
        streams.push(newest);
        await streams[0].ended;
        streams.push(await open());
        await streams[1].ended;
      } finally {
        for (const stream of streams) stream.close();
      }
    });

    it('answers 405 to a POST', async () => {
      const res = await fetch(`${sim.url}/_simulator/events`, { method: 'POST' });
      expect(res.status).toBe(405);
    });
  });
});
