import {
  AuthMethod,
  CircuitOpenError,
  ConnectionError,
  InternalError,
  InvalidResponseError,
  VerigatorEvent,
} from '../../lib';
import { RecordingServer } from '../utils/recording-server';
import { VerigatorTestApp, createVerigatorApp } from '../utils/create-verigator-app';
import { until } from '../utils/until';

const HALF_OPEN_AFTER = 300;
const SERVICE = { id: 'svc-1', name: 'Shop', ctime: '2024-01-01T00:00:00Z' };

describe('a circuit breaker per endpoint', () => {
  let upstream: RecordingServer;
  let client: VerigatorTestApp;
  /** What `onEvent` received, calls left out. */
  let events: VerigatorEvent[];

  beforeEach(async () => {
    upstream = await new RecordingServer().replyByDefault({ status: 503, body: {} }).start();
    events = [];
    client = await createVerigatorApp(upstream.url, {
      timeout: 500,
      retries: 0,
      circuitBreaker: { threshold: 3, halfOpenAfter: HALF_OPEN_AFTER },
      onEvent: (event) => void (event.type !== 'call' && events.push(event)),
    });
  });
  afterEach(async () => {
    await client.app.close();
    await upstream.close();
  });

  async function breakCircuit(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(InternalError);
    }
    upstream.clear();
  }

  /**
   * Resolves once `halfOpenAfter` has passed, on the breaker's own clock (`Date.now()`), since
   * the `breakerOpened` event: the breaker notes the time just before it publishes that event.
   */
  async function coolDown(): Promise<void> {
    const opened = events.find((e) => e.type === 'breakerOpened')!.timestamp;
    await until(
      () => Date.now() - opened >= HALF_OPEN_AFTER,
      `${HALF_OPEN_AFTER} ms since the breakerOpened event`,
    );
  }

  it('opens after `threshold` consecutive failures and then fails fast, sending nothing', async () => {
    await breakCircuit();
    const error = await client.auth.initiate('svc-1', 'u-1', AuthMethod.SMS).catch((e) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as CircuitOpenError).code).toBe('CIRCUIT_OPEN');
    expect((error as CircuitOpenError).statusCode).toBe(0);
    await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(upstream.requests).toHaveLength(0);
    expect(events).toEqual([
      { type: 'breakerOpened', endpoint: upstream.url, timestamp: expect.any(Number) },
    ]);
  });

  it('after the cool-down lets one trial through; its success closes the circuit', async () => {
    await breakCircuit();
    upstream.replyByDefault({ status: 200, body: SERVICE });
    await coolDown();
    // Calls made while the trial runs fail fast rather than queue behind it.
    const trial = client.services.get('svc-1');
    const during = await client.services.get('svc-1').catch((e: unknown) => e);
    expect(during).toBeInstanceOf(CircuitOpenError);
    await expect(trial).resolves.toMatchObject({ id: 'svc-1' });
    await expect(client.services.get('svc-1')).resolves.toMatchObject({ id: 'svc-1' });
    expect(upstream.requests).toHaveLength(2);
    expect(events.map((e) => e.type)).toEqual([
      'breakerOpened',
      'breakerHalfOpened',
      'breakerClosed',
    ]);
  });

  it('a failed trial opens it again for another cool-down', async () => {
    await breakCircuit();
    await coolDown();
    await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(InternalError);
    await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(upstream.requests).toHaveLength(1);
  });

  it('answers that prove Verigator up (4xx) reset the count', async () => {
    await client.services.get('svc-1').catch(() => undefined);
    await client.services.get('svc-1').catch(() => undefined);
    upstream.reply({ status: 404, body: {} });
    await client.services.get('svc-1').catch(() => undefined);
    await client.services.get('svc-1').catch(() => undefined);
    await client.services.get('svc-1').catch(() => undefined);
    expect(upstream.requests).toHaveLength(5);
    await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(InternalError);
    await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('answers one request can provoke (500, a garbled 2xx) never open it', async () => {
    upstream.replyByDefault({ status: 500, body: {} });
    for (let i = 0; i < 4; i++) {
      await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(InternalError);
    }
    upstream.replyByDefault({ status: 200, body: 'not json' });
    for (let i = 0; i < 4; i++) {
      await expect(client.services.get('svc-1')).rejects.toBeInstanceOf(InvalidResponseError);
    }
    expect(upstream.requests).toHaveLength(8);
    expect(events).toEqual([]);
  });

  it('an open circuit on the first endpoint fails over to the next at once', async () => {
    const second = await new RecordingServer()
      .replyByDefault({ status: 200, body: { method: 'sms' } })
      .start();
    const both = await createVerigatorApp(upstream.url, {
      fallbackEndpoints: [second.url],
      retries: 0,
      circuitBreaker: { threshold: 1, halfOpenAfter: 60_000 },
    });
    try {
      // 503 is not a reason to fail over, but it opens the first endpoint's circuit.
      await expect(both.services.get('svc-1')).rejects.toBeInstanceOf(InternalError);
      upstream.clear();
      await expect(both.auth.initiate('svc-1', 'u-1', AuthMethod.SMS)).resolves.toBe('sms');
      expect(upstream.requests).toHaveLength(0);
      expect(second.requests).toHaveLength(1);
    } finally {
      await both.app.close();
      await second.close();
    }
  });
});
