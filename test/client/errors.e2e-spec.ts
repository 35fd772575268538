import {
  ConnectionError,
  InternalError,
  InvalidDataError,
  InvalidResponseError,
  NoSuchResourceError,
  RateLimitedError,
  RequestTimeoutError,
  ResourceAlreadyExistsError,
  ResourceForbiddenError,
  VerigatorError,
  WrongCredentialsError,
} from '../../lib';
import { Reply, closedPortUrl } from '../utils/recording-server';
import { useRecordedClient } from '../utils/test-bed';
import { TEST_PASSWORD, VerigatorTestApp, createVerigatorApp } from '../utils/create-verigator-app';

const SERVICE_ID = 'svc-1';

describe('Verigator failures become typed errors', () => {
  // One answer, one error: no retry, no breaker (resilience has its own suites).
  const bed = useRecordedClient({ timeout: 300, retries: 0, circuitBreaker: false });
  const { upstream } = bed;
  /** For 1 MB bodies: room to read them on a loaded machine. */
  let roomy: VerigatorTestApp;
  beforeAll(async () => {
    roomy = await createVerigatorApp(upstream.url, {
      timeout: 5000,
      retries: 0,
      circuitBreaker: false,
    });
  });
  afterAll(() => roomy.app.close());

  async function failureOf(reply: Reply, on = bed.client): Promise<VerigatorError> {
    upstream.reply(reply);
    const error = await on.services.get(SERVICE_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerigatorError);
    return error as VerigatorError;
  }

  it.each([
    [400, InvalidDataError, 'INVALID_DATA'],
    [401, WrongCredentialsError, 'WRONG_CREDENTIALS'],
    [403, ResourceForbiddenError, 'RESOURCE_FORBIDDEN'],
    [404, NoSuchResourceError, 'NO_SUCH_RESOURCE'],
    [409, ResourceAlreadyExistsError, 'RESOURCE_ALREADY_EXISTS'],
    [422, InvalidDataError, 'INVALID_DATA'],
    [429, RateLimitedError, 'RATE_LIMITED'],
    [500, InternalError, 'INTERNAL_ERROR'],
    [503, InternalError, 'INTERNAL_ERROR'],
  ])('%i with a JSON message -> %p', async (status, ErrorClass, code) => {
    const error = await failureOf({ status, body: { message: 'server says no' } });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.code).toBe(code);
    expect(error.statusCode).toBe(status);
    expect(error.message).toBe(`Verigator answered ${status}: server says no`);
    expect(error.body).toEqual({ message: 'server says no' });
  });

  it.each([
    [418, 'an unlisted 4xx'],
    [302, 'a redirect, which is never followed'],
  ])('%i (%s) -> the base VerigatorError', async (status) => {
    const error = await failureOf({
      status,
      body: { message: 'odd' },
      headers: { Location: 'http://127.0.0.1:1/elsewhere' },
    });
    expect(error.constructor).toBe(VerigatorError);
    expect(error.code).toBe('VERIGATOR_ERROR');
    expect(error.statusCode).toBe(status);
    expect(upstream.requests).toHaveLength(1);
  });

  it('a 404 with an empty body is still NoSuchResourceError', async () => {
    const error = await failureOf({ status: 404 });
    expect(error).toBeInstanceOf(NoSuchResourceError);
    expect(error.message).toBe('Verigator answered 404');
    expect(error.body).toBeUndefined();
  });

  it('an HTML 500 page is InternalError saying what the body was, never its text', async () => {
    const error = await failureOf({ status: 500, body: '<html><h1>Bad Gateway</h1></html>' });
    expect(error).toBeInstanceOf(InternalError);
    expect(error.message).toBe('Verigator answered 500: a non-JSON body (text/html, 33 bytes)');
    expect(error.body).toBeUndefined();
  });

  it('truncated JSON on a 403 is still ResourceForbiddenError', async () => {
    const error = await failureOf({ status: 403, body: '{"message": "forb' });
    expect(error).toBeInstanceOf(ResourceForbiddenError);
    expect(error.body).toBeUndefined();
  });

  it.each([
    ['120', 120],
    ['1.2', 2],
  ])('429 with Retry-After %p gives retryAfter %p seconds', async (header, seconds) => {
    const error = await failureOf({ status: 429, headers: { 'Retry-After': header } });
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfter).toBe(seconds);
  });

  it.each([
    ['1e+308', 3600],
    ['999999999', 3600],
    [new Date(Date.now() + 10 * 86_400_000).toUTCString(), 3600],
    [new Date(Date.now() - 60_000).toUTCString(), 0],
    ['-5', 0],
    ['Infinity', 3600],
  ])('429 with Retry-After %p is clamped to %p seconds', async (header, seconds) => {
    const error = await failureOf({ status: 429, headers: { 'Retry-After': header } });
    expect((error as RateLimitedError).retryAfter).toBe(seconds);
  });

  it('a body over the 1 MiB cap is InvalidResponseError, not a connection failure', async () => {
    const error = await failureOf({ status: 200, body: 'x'.repeat(1024 * 1024 + 10) }, roomy);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.code).toBe('INVALID_RESPONSE');
  });

  it.each([
    ['nested arrays', '['.repeat(500_000) + ']'.repeat(500_000)],
    ['a long string', JSON.stringify({ message: 'm'.repeat(900_000) })],
    [
      'a wide object',
      JSON.stringify(Object.fromEntries([...Array(50_000).keys()].map((i) => [`k${i}`, i]))),
    ],
    ['a long text', 't'.repeat(900_000)],
  ])('an error body of %s is bounded: its JSON stays small', async (_kind, body) => {
    const error = await failureOf({ status: 500, body }, roomy);
    expect(error).toBeInstanceOf(InternalError);
    const json = JSON.stringify(error.toJSON());
    expect(json.length).toBeLessThan(20_000);
    expect(error.message.length).toBeLessThan(3000);
  });

  it('429 with an HTTP-date Retry-After gives the seconds until then', async () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const error = await failureOf({ status: 429, headers: { 'Retry-After': inOneMinute } });
    expect((error as RateLimitedError).retryAfter).toBeGreaterThanOrEqual(58);
    expect((error as RateLimitedError).retryAfter).toBeLessThanOrEqual(60);
  });

  it('429 without Retry-After leaves retryAfter undefined', async () => {
    const error = await failureOf({ status: 429 });
    expect((error as RateLimitedError).retryAfter).toBeUndefined();
  });

  it.each([
    ['HTML', '<html>ok</html>'],
    ['truncated JSON', '{"id": "svc-1", "na'],
  ])('a 200 whose body is %s is InvalidResponseError', async (_kind, body) => {
    const error = await failureOf({ status: 200, body });
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.statusCode).toBe(200);
    expect(error.message).toBe(
      `Verigator answered 200 with a non-JSON body (text/html, ${body.length} bytes)`,
    );
    expect(error.body).toBeUndefined();
  });

  it.each([
    ['empty', undefined],
    ['lacking name', { id: 'svc-1', ctime: '2017-07-06T13:12:03.141Z' }],
    ['an array', [1, 2]],
  ])('a 200 whose JSON is %s is InvalidResponseError', async (_kind, body) => {
    const error = await failureOf({ status: 200, body });
    expect(error).toBeInstanceOf(InvalidResponseError);
  });

  it('initiate answered with an unknown method is InvalidResponseError', async () => {
    upstream.reply({ status: 200, body: { method: 'carrier-pigeon' } });
    await expect(bed.client.auth.initiate('s', 'u', 'sms')).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });

  it('verify answered without a boolean "verified" is InvalidResponseError', async () => {
    upstream.reply({ status: 200, body: { verified: 'yes' } });
    await expect(bed.client.auth.verify('s', 'u', '123456')).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });

  it('a server that never answers gives RequestTimeoutError after `timeout`', async () => {
    const started = Date.now();
    const error = await failureOf({ hang: true });
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.code).toBe('REQUEST_TIMEOUT');
    expect(error.statusCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a reset connection gives ConnectionError', async () => {
    const error = await failureOf({ reset: true });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.statusCode).toBe(0);
  });

  it('a closed port gives ConnectionError naming the host and ECONNREFUSED', async () => {
    const endpoint = await closedPortUrl();
    const closed = await createVerigatorApp(endpoint);
    try {
      const error = await closed.services.get(SERVICE_ID).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toBe(
        `Verigator at ${new URL(endpoint).host} could not be reached (ECONNREFUSED)`,
      );
    } finally {
      await closed.app.close();
    }
  });

  it('a host name that does not resolve (a misspelt endpoint) is named, never credentials', async () => {
    const misspelt = await createVerigatorApp('https://verigator.invalid');
    try {
      const error = (await misspelt.services
        .get(SERVICE_ID)
        .catch((e: unknown) => e)) as ConnectionError;
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toMatch(
        /^Verigator at verigator\.invalid could not be reached \((ENOTFOUND|EAI_AGAIN)\)$/,
      );
      expect(JSON.stringify(error)).not.toContain(TEST_PASSWORD);
    } finally {
      await misspelt.app.close();
    }
  });
});
