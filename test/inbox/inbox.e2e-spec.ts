/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { currentTotp } from '../../lib/testing/totp-device';
import { SAMPLE_SERVICE_ID, SampleApp } from '../../sample/sample-bootstrap';
import { startSample } from '../utils/sample-app';

/** Debian's Chromium (`.ci/debian-packages`); puppeteer-core never downloads a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI !== 'true') {
  console.warn(`SKIPPED the inbox browser test: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
}
/** Where screenshots go; `INBOX_SCREENSHOT_DIR=docs` refreshes the README's. */
const SCREENSHOTS = process.env.INBOX_SCREENSHOT_DIR ?? join(tmpdir(), 'verigator-inbox');
const MARKUP_NAME = '<img src=x onerror="window.__injected = true">';

/** The inbox page in headless Chromium, on the sample app's embedded simulator. */
(available || process.env.CI === 'true' ? describe : describe.skip)('the inbox page', () => {
  let sample: SampleApp;
  let appUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sample = await startSample({}, { listen: true });
    appUrl = (await sample.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--headless=new', '--disable-gpu'],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${sim().url}/`);
    await page.waitForSelector('#connection.live');
  }, 20_000);
  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  const sim = () => sample.simulator!;

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${appUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it('says "live" only once it shows the first snapshot', async () => {
    const fresh = await browser.newPage();
    try {
      // records, at the moment the status first reads "live", how many services were drawn
      await fresh.evaluateOnNewDocument(() => {
        new MutationObserver((_changes, observer) => {
          const status = document.getElementById('connection');
          if (status?.classList.contains('live')) {
            (window as { __servicesWhenLive?: number }).__servicesWhenLive =
              document.querySelectorAll('#services .service').length;
            observer.disconnect();
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['class'] });
      });
      await fresh.goto(`${sim().url}/`);
      await fresh.waitForSelector('#connection.live');
      const drawn = await fresh.evaluate(
        () => (window as { __servicesWhenLive?: number }).__servicesWhenLive,
      );
      const services = (await fetch(`${sim().url}/_simulator/services`).then((r) =>
        r.json(),
      )) as unknown[];
      expect(services.length).toBeGreaterThan(0);
      expect(drawn).toBe(services.length);
    } finally {
      await fresh.close();
    }
  });

  it('shows an SMS code within a second of the app asking for it, without a reload', async () => {
    const account = await post('/users', {
      username: 'alice@example.com',
      phoneNumber: '+372 5555 5101',
    });
    expect(account.status).toBe(201);
    const challenge = await post(
      '/transfers',
      { to: 'bob', amount: 100 },
      { Authorization: `Bearer ${account.body.apiKey}` },
    );
    expect(challenge.status).toBe(401);
    const code = sim().lastCode(account.body.verigatorId)!;

    await page.waitForFunction(
      (expected) => document.querySelector('#outbox .message .code')?.textContent === expected,
      { timeout: 1000 },
      code,
    );
    expect(await page.$eval('#outbox .message .user', (node) => node.textContent)).toBe(
      'alice@example.com',
    );
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  });

  it('enrols a device in one click: the QR code decodes to its otpauth:// URL, and the code shown passes the guard', async () => {
    const account = await post('/users', {
      username: 'totp@example.com',
      phoneNumber: '+372 5555 5102',
    });
    const userId = account.body.verigatorId;
    const row = `[data-user-id="${userId}"]`;
    await page.waitForSelector(`${row} button.enrol`, { timeout: 2000 });
    await page.click(`${row} button.enrol`);
    await page.waitForFunction(
      (selector) => {
        const img = document.querySelector<HTMLImageElement>(`${selector} img.qr`);
        const code = document.querySelector(`${selector} .totp-code`)?.textContent ?? '';
        return img?.complete && img.naturalWidth > 0 && /^\d{6}$/.test(code);
      },
      { timeout: 3000 },
      row,
    );

    const shot = await (await page.$(`${row} img.qr`))!.screenshot({ type: 'png' });
    const png = PNG.sync.read(Buffer.from(shot));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    const shownUrl = await page.$eval(`${row} .otpauth`, (node) => node.textContent);
    expect(decoded?.data).toBe(shownUrl);
    const otpauth = new URL(decoded!.data);
    expect(otpauth.protocol).toBe('otpauth:');
    expect(otpauth.host).toBe('totp');
    expect(decodeURIComponent(otpauth.pathname)).toBe('/Nest sample:totp@example.com');
    const secret = otpauth.searchParams.get('secret')!;
    const now = Date.now();
    expect(currentTotp({ secret }, now)).toBe(sim().totp(SAMPLE_SERVICE_ID, userId));

    const shownCode = await page.$eval(`${row} .totp-code`, (node) => node.textContent!);
    const auth = { Authorization: `Bearer ${account.body.apiKey}` };
    const newCodes = `${appUrl}/account/recovery-codes`;
    const challenge = await fetch(newCodes, { method: 'POST', headers: auth });
    expect(await challenge.json()).toMatchObject({ method: 'totp' });
    const accepted = await fetch(newCodes, {
      method: 'POST',
      headers: { ...auth, 'X-Verigator-Token': shownCode },
    });
    expect(accepted.status).toBe(201);
  });

  it('adds a fault from the form (with a Retry-After header), then clears it', async () => {
    await page.select('#fault-form select[name=method]', 'PUT');
    await page.type('#fault-form input[name=path]', '/**/auth');
    await page.type('#fault-form input[name=status]', '429');
    await page.type('#fault-form textarea[name=headers]', 'Retry-After: 9');
    await page.click('#fault-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#faults li').length === 1, {
      timeout: 2000,
    });
    expect(await page.$eval('#faults li', (node) => node.textContent)).toContain('Retry-After: 9');
    // the form is emptied for the next fault, and no error is shown
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('#fault-form input[name=path]')?.value === '',
      { timeout: 1000 },
    );
    expect(await page.$eval('#fault-error', (node) => node.textContent)).toBe('');
    const faults = await fetch(`${sim().url}/_simulator/faults`).then((r) => r.json());
    expect(faults).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: '/**/auth',
        status: 429,
        headers: { 'Retry-After': '9' },
      }),
    ]);

    await saveScreenshots();

    await page.click('#clear-faults');
    await page.waitForFunction(() => document.querySelectorAll('#faults li').length === 0, {
      timeout: 2000,
    });
    expect(await fetch(`${sim().url}/_simulator/faults`).then((r) => r.json())).toEqual([]);
  });

  it('shows a username carrying markup as text, and runs none of it', async () => {
    const { VERIGATOR_USERNAME, VERIGATOR_PASSWORD } = sample.config;
    const created = await fetch(`${sim().url}/v1/service/service/${SAMPLE_SERVICE_ID}/users`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Service-Auth': `${VERIGATOR_USERNAME}:${VERIGATOR_PASSWORD}`,
      },
      body: JSON.stringify({ id_in_service: MARKUP_NAME, phone_number: '+3725555999' }),
    });
    expect(created.status).toBe(201);
    await page.waitForFunction(
      (name) =>
        [...document.querySelectorAll('#services .username')].some((n) => n.textContent === name),
      { timeout: 2000 },
      MARKUP_NAME,
    );
    expect(await page.$$eval('#services img:not(.qr), #outbox img', (nodes) => nodes.length)).toBe(
      0,
    );
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBe(
      undefined,
    );
  });

  it('cannot be driven by a page from another origin', async () => {
    const other = await serve(
      '<!doctype html><title>elsewhere</title><p>another site on this machine</p>',
    );
    const attacker = await browser.newPage();
    try {
      await attacker.goto(other.url);
      const fault = JSON.stringify({ path: '/**/auth', status: 200, body: { verified: true } });
      const outcomes = await attacker.evaluate(
        async (target, body) => {
          const attempts = [
            fetch(`${target}/_simulator/faults`, {
              method: 'POST',
              mode: 'no-cors',
              headers: { 'Content-Type': 'text/plain' },
              body,
            }),
            fetch(`${target}/_simulator/faults`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body,
            }),
            fetch(`${target}/_simulator/reset`, { method: 'POST', mode: 'no-cors' }),
          ];
          return Promise.all(
            attempts.map((p) =>
              p.then(
                (r) => r.type,
                (e: Error) => e.name,
              ),
            ),
          );
        },
        sim().url,
        fault,
      );
      // the browser shows the other page nothing (no CORS, Cross-Origin-Resource-Policy) ...
      expect(outcomes).toEqual(['TypeError', 'TypeError', 'TypeError']);

      // iframes are navigations: 40 of them to the event stream (on as many *.localhost names)
      // used to fill every stream, and one to an API route to use up a pending fault; a few
      // show it (each *.localhost name is a site of its own: a browser process each)
      sim().injectFault({ method: 'GET', path: '/v1/**', status: 503 });
      await attacker.evaluate(
        (port, apiPath) => {
          const urls = Array.from(
            { length: 4 },
            (_, i) => `http://s${i}.localhost:${port}/_simulator/events`,
          );
          urls.push(`http://127.0.0.1:${port}${apiPath}`);
          const counter = window as { __loaded?: number };
          counter.__loaded = 0;
          for (const src of urls) {
            const frame = document.createElement('iframe');
            frame.onload = () => (counter.__loaded! += 1);
            frame.src = src;
            document.body.append(frame);
          }
        },
        sim().port,
        `/v1/service/service/${SAMPLE_SERVICE_ID}`,
      );
      // every frame has its answer (an event stream would never finish loading)
      await attacker.waitForFunction(() => (window as { __loaded?: number }).__loaded === 5, {
        timeout: 5000,
      });
      expect(await fetch(`${sim().url}/_simulator/faults`).then((r) => r.json())).toEqual([
        expect.objectContaining({ path: '/v1/**', remaining: 1 }),
      ]);
      sim().clearFaults();
      const inbox = await browser.newPage();
      try {
        await inbox.goto(`${sim().url}/`);
        await inbox.waitForSelector('#connection.live', { timeout: 3000 });
      } finally {
        await inbox.close();
      }
      // ... and the simulator refused what it was sent (Origin, Content-Type)
      expect(await fetch(`${sim().url}/_simulator/faults`).then((r) => r.json())).toEqual([]);
      expect(sim().messages().length).toBeGreaterThan(0);
    } finally {
      await attacker.close();
      other.server.closeAllConnections();
      await new Promise((resolve) => other.server.close(resolve));
    }
  });

  async function saveScreenshots(): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: join(SCREENSHOTS, 'inbox.png') as `${string}.png`,
      fullPage: true,
    });
    const phone = await browser.newPage();
    try {
      await phone.setViewport({ width: 390, height: 844, isMobile: true, deviceScaleFactor: 2 });
      await phone.goto(`${sim().url}/`);
      await phone.waitForSelector('#connection.live');
      await phone.waitForFunction(() => document.querySelector('.totp-code')?.textContent !== '');
      await phone.screenshot({ path: join(SCREENSHOTS, 'inbox-phone.png') as `${string}.png` });
    } finally {
      await phone.close();
    }
  }
});

/** A page on another origin (another port of 127.0.0.1). */
async function serve(html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
