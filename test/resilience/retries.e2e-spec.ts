import {
  AuthMethod,
  ConnectionError,
  InternalError,
  RateLimitedError,
  RequestTimeoutError,
  ResourceAlreadyExistsError,
  VerigatorError,
  VerigatorEvent,
} from '../../lib';

type RetryEvent = Extract<VerigatorEvent, { type: 'retry' }>;
import { RecordingServer, Reply } from '../utils/recording-server';
import { VerigatorTestApp, createVerigatorApp } from '../utils/create-verigator-app';
import { useRecordedClient } from '../utils/test-bed';

/** Records when each request arrived, to check waits between attempts. */
class TimedServer extends RecordingServer {
  readonly arrivals: number[] = [];
  protected override delayFor(): number {
    this.arrivals.push(Date.now());
    return 0;
  }

  override clear(): void {
    super.clear();
    this.arrivals.length = 0;
  }
}

const SERVICE = { id: 'svc-1', name: 'Shop', ctime: '2024-01-01T00:00:00Z' };

describe('retries follow what is safe to repeat', () => {
  /** The `retry` events `onEvent` received. */
  const retries: RetryEvent[] = [];
  // No breaker here: each case is about one call's retries (the breaker has its own suite).
  const bed = useRecordedClient(
    {
      timeout: 400,
      circuitBreaker: false,
      onEvent: (event) => void (event.type === 'retry' && retries.push(event)),
    },
    new TimedServer(),
  );
  const { upstream } = bed;
  /**
   * A client whose deadline leaves room for every retry however busy the machine: with the 400 ms
   * one, a slow attempt leaves no time for the next (`MIN_ATTEMPT_MS`), by design.
   */
  const unhurried = useRecordedClient(
    { timeout: 30_000, circuitBreaker: false },
    new TimedServer(),
  );
  beforeEach(() => upstream.replyByDefault({ status: 200, body: SERVICE }));
  beforeEach(() => unhurried.upstream.replyByDefault({ status: 200, body: SERVICE }));

  describe.each([
    ['503', { status: 503, body: {} }],
    ['502', { status: 502, body: {} }],
    ['504', { status: 504, body: {} }],
    ['429 without Retry-After', { status: 429, body: {} }],
    ['a reset connection', { reset: true }],
  ] as [string, Reply][])('a read answered %s', (_, failure) => {
    it('is retried and succeeds when the next attempt does', async () => {
      unhurried.upstream.reply(failure);
      await expect(unhurried.client.services.get('svc-1')).resolves.toMatchObject({ id: 'svc-1' });
      expect(unhurried.upstream.requests).toHaveLength(2);
    });

    it('gives up after `retries` (2) retries with the last error', async () => {
      unhurried.upstream.replyByDefault(failure);
      const error = await unhurried.client.services.get('svc-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VerigatorError);
      expect(error).not.toBeInstanceOf(RequestTimeoutError);
      expect(unhurried.upstream.requests).toHaveLength(3);
    });
  });

  it('publishes each retry: operation, path template, endpoint, attempt, wait and error', async () => {
    retries.length = 0;
    upstream.reply({ status: 503, body: {} }, { reset: true });
    await expect(bed.client.services.get('svc-1')).resolves.toMatchObject({ id: 'svc-1' });
    expect(retries).toEqual([
      expect.objectContaining({ type: 'retry', operation: 'services.get', attempt: 1 }),
      expect.objectContaining({ type: 'retry', operation: 'services.get', attempt: 2 }),
    ]);
    const [first, second] = retries;
    expect(first).toMatchObject({
      httpMethod: 'GET',
      path: '/v1/service/service/{serviceId}',
      serviceId: 'svc-1',
      endpoint: upstream.url,
      error: { name: InternalError.name, code: 'INTERNAL_ERROR', statusCode: 503 },
    });
    expect(second.error).toMatchObject({ name: ConnectionError.name, code: 'CONNECTION_ERROR' });
    expect(first.delayMs).toBeGreaterThanOrEqual(0);
  });

  it('a delete is retried like a read', async () => {
    upstream.reply({ status: 503, body: {} }, { status: 202 });
    await expect(bed.client.services.delete('svc-1')).resolves.toBeUndefined();
    expect(upstream.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  it.each([
    [400, 'INVALID_DATA'],
    [401, 'WRONG_CREDENTIALS'],
    [404, 'NO_SUCH_RESOURCE'],
    [500, 'INTERNAL_ERROR'],
  ])('a read answered %i is not retried', async (status, code) => {
    upstream.replyByDefault({ status, body: {} });
    await expect(bed.client.services.get('svc-1')).rejects.toMatchObject({ code });
    expect(upstream.requests).toHaveLength(1);
  });

  it('a read that timed out is not retried: the deadline is spent', async () => {
    upstream.replyByDefault({ hang: true });
    const error = await bed.client.services.get('svc-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(upstream.requests).toHaveLength(1);
  });

  it('waits at least Retry-After before retrying a 429', async () => {
    unhurried.upstream.reply({ status: 429, body: {}, headers: { 'Retry-After': '1' } });
    await expect(unhurried.client.services.get('svc-1')).resolves.toMatchObject({ id: 'svc-1' });
    const { arrivals } = unhurried.upstream;
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a 429 whose Retry-After passes the deadline', async () => {
    upstream.reply({ status: 429, body: {}, headers: { 'Retry-After': '5' } });
    const error = await bed.client.services.get('svc-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfter).toBe(5);
    expect(upstream.requests).toHaveLength(1);
  });

  it('`timeout` bounds the whole call, retries and waits included', async () => {
    // Every attempt takes 150 ms to fail: of the 11 attempts `retries: 10` allows, at most
    // 1000 / 150 fit in the deadline.
    const slow = new (class extends RecordingServer {
      protected override delayFor(): number {
        return 150;
      }
    })().replyByDefault({ status: 503, body: {} });
    await slow.start();
    const app = await createVerigatorApp(slow.url, {
      timeout: 1000,
      retries: 10,
      circuitBreaker: false,
    });
    try {
      const error = await app.services.get('svc-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VerigatorError);
      expect(slow.requests.length).toBeGreaterThanOrEqual(2);
      expect(slow.requests.length).toBeLessThanOrEqual(Math.ceil(1000 / 150));
    } finally {
      await app.app.close();
      await slow.close();
    }
  });

  describe.each([
    ['initiate', (c: VerigatorTestApp) => c.auth.initiate('svc-1', 'u-1', AuthMethod.SMS)],
    ['verify', (c: VerigatorTestApp) => c.auth.verify('svc-1', 'u-1', '123456')],
    [
      'create',
      (c: VerigatorTestApp) =>
        c.users.create('svc-1', { username: 'a@example.com', phoneNumber: '+3725555555' }),
    ],
  ])('%s (not safe to repeat)', (_, call) => {
    it.each([
      ['503', { status: 503, body: {} }, InternalError],
      ['429', { status: 429, body: {} }, RateLimitedError],
      ['409', { status: 409, body: {} }, ResourceAlreadyExistsError],
      ['a reset after sending', { reset: true }, ConnectionError],
      ['a timeout', { hang: true }, RequestTimeoutError],
    ] as [string, Reply, typeof VerigatorError][])(
      'is sent once when answered %s',
      async (__, failure, ErrorClass) => {
        upstream.replyByDefault(failure);
        await expect(call(bed.client)).rejects.toBeInstanceOf(ErrorClass);
        expect(upstream.requests).toHaveLength(1);
      },
    );
  });
});
