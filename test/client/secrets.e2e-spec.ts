import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import {
  TwoFactorGuard,
  VerigatorError,
  VerigatorExceptionFilter,
  VerigatorHealthIndicator,
} from '../../lib';
import { Reply, closedPortUrl } from '../utils/recording-server';
import { useRecordedClient } from '../utils/test-bed';
import { TEST_PASSWORD, TEST_USERNAME, createVerigatorApp } from '../utils/create-verigator-app';

/** An upstream that echoes the credentials it received, the worst case for a leak. */
const echo = `echo of X-Service-Auth: ${TEST_USERNAME}:${TEST_PASSWORD}`;

describe('the API password never appears in an error', () => {
  const bed = useRecordedClient({ timeout: 200 });
  const { upstream } = bed;

  function expectNoSecret(error: unknown): void {
    expect(error).toBeInstanceOf(VerigatorError);
    const e = error as VerigatorError;
    const views = [
      e.message,
      String(e.stack),
      JSON.stringify(e),
      inspect(e, { depth: Infinity, showHidden: true }),
      inspect(e.cause, { depth: Infinity, showHidden: true }),
      String(e),
    ];
    for (const view of views) expect(view).not.toContain(TEST_PASSWORD);
  }

  const replies: [string, Reply][] = [
    ['400', { status: 400, body: { message: echo } }],
    ['401', { status: 401, body: { message: echo } }],
    ['403', { status: 403, body: echo }],
    ['404', { status: 404, body: { message: echo } }],
    ['409', { status: 409, body: { message: echo } }],
    ['418', { status: 418, body: { message: echo } }],
    ['422', { status: 422, body: { message: echo } }],
    ['429', { status: 429, body: { message: echo }, headers: { 'Retry-After': '3' } }],
    ['500', { status: 500, body: `<html>${echo}</html>` }],
    ['2xx non-JSON', { status: 200, body: echo }],
    ['2xx lacking fields', { status: 200, body: { note: echo } }],
    ['timeout', { hang: true }],
    ['reset', { reset: true }],
  ];

  it.each(replies)('%s', async (_case, reply) => {
    upstream.reply(reply);
    const error = await bed.client.services.get('svc').catch((e: unknown) => e);
    expectNoSecret(error);
  });

  // An error page may echo the request in any encoding; an error keeps no body that is not JSON.
  const credentials = `${TEST_USERNAME}:${TEST_PASSWORD}`;
  it.each([
    ['HTML-escaped', `<p>&quot;${TEST_PASSWORD}&quot; &#34;${TEST_PASSWORD}&#x22;</p>`],
    ['form-encoded', `user=${TEST_USERNAME}&password=${TEST_PASSWORD.replace(/-/g, '+')}`],
    ['base64', `Authorization: Basic ${Buffer.from(credentials).toString('base64')}`],
  ])('a %s echo in a page that is not JSON is not kept at all', async (_form, page) => {
    upstream.reply({ status: 500, body: page });
    const error = (await bed.client.services.get('svc').catch((e: unknown) => e)) as VerigatorError;
    expect(error.body).toBeUndefined();
    expect(error.message).toBe(
      `Verigator answered 500: a non-JSON body (text/html, ${Buffer.byteLength(page)} bytes)`,
    );
    expect(JSON.stringify(error)).not.toContain(page);
  });

  it('the echoed password is masked in the kept body, the rest of it kept', async () => {
    upstream.reply({ status: 401, body: { message: echo } });
    const error = (await bed.client.services.get('svc').catch((e: unknown) => e)) as VerigatorError;
    expect(error.body).toEqual({ message: 'echo of X-Service-Auth: ***' });
  });

  it('connection refused', async () => {
    const closed = await createVerigatorApp(await closedPortUrl());
    try {
      expectNoSecret(await closed.services.get('svc').catch((e: unknown) => e));
    } finally {
      await closed.app.close();
    }
  });

  it('local validation', async () => {
    expectNoSecret(await bed.client.auth.verify('svc', 'usr', 'abc').catch((e: unknown) => e));
  });
});

describe('the API password never appears, even echoed JSON-escaped or in an inspected service', () => {
  const password = 'Pa55"w0rd/with\\esc';
  const bed = useRecordedClient({ password });
  const { upstream } = bed;

  /** The 404 body as a server echoing the header would write it: `"`, `\\`, `/` escaped. */
  const escapedEchoes = [
    `{"message":"User nope not found; you sent ${TEST_USERNAME}:Pa55\\"w0rd\\/with\\\\esc"}`,
    `{"message":"${TEST_USERNAME}:Pa55\\u0022w0rd\\u002fwith\\u005cesc"}`,
  ];

  it.each(escapedEchoes)('a 404 echoing %s', async (body) => {
    upstream.reply({ status: 404, body, headers: { 'Content-Type': 'application/json' } });
    const error = (await bed.client.users
      .get('svc', 'nope')
      .catch((e: unknown) => e)) as VerigatorError;
    expect(error).toBeInstanceOf(VerigatorError);
    const lines: string[] = [];
    const filter = new VerigatorExceptionFilter();
    const sink = (message: unknown) => lines.push(String(message));
    Object.assign(filter, {
      logger: { error: sink, warn: sink, debug: sink, log: sink } as unknown as Logger,
    });
    let answered = '';
    const response = {
      status: () => response,
      setHeader: () => undefined,
      json: (answer: unknown) => (answered = JSON.stringify(answer)),
    };
    filter.catch(error, {
      getType: () => 'http',
      switchToHttp: () => ({ getResponse: () => response }),
    } as never);
    const views = [
      error.message,
      String(error.stack),
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Infinity }),
      ...lines,
      answered,
    ];
    for (const view of views) expect(view).not.toContain(password);
    expect(answered).not.toBe('');
    expect(lines.join('')).toContain('***');
  });

  it('is not shown by inspecting or serialising a service', () => {
    const guard = bed.client.app.get(TwoFactorGuard);
    const health = bed.client.app.get(VerigatorHealthIndicator);
    for (const service of [bed.client.services, bed.client.users, bed.client.auth, guard, health]) {
      expect(inspect(service)).not.toContain(password);
      expect(inspect(service, { depth: 6 })).not.toContain(password);
      expect(inspect(service, { depth: 6 })).not.toContain('Pa55');
      expect(JSON.stringify(service)).not.toContain('Pa55');
    }
  });

  it('still sends it, unaltered, in X-Service-Auth', async () => {
    upstream.reply({ status: 200, body: { id: 'svc', name: 'n', ctime: 't' } });
    await bed.client.services.get('svc');
    expect(upstream.requests.at(-1)?.headers['x-service-auth']).toBe(
      `${TEST_USERNAME}:${password}`,
    );
  });
});
