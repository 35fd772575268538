import { INestApplication } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  DataPoint,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { channel } from 'node:diagnostics_channel';
import request from 'supertest';
import { UsersService } from '../../lib';
import { instrumentVerigator } from '../../lib/opentelemetry';
import { VerigatorSimulator } from '../../lib/testing';
import {
  AccountController,
  SERVICE_ID,
  TEST_PASSWORD,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

const PHONE = '+3725555555';
const EMAIL = 'alice@example.com';
const USER = 'user-alice';

/** Collects on demand, as a test needs. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

describe('instrumentVerigator: spans and metrics from the audit trail', () => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  let sim: VerigatorSimulator;
  let app: INestApplication;
  let stop: () => void;
  // OpenTelemetry's own instrumentation of undici (our transport): a span per HTTP request.
  let undici: UndiciInstrumentation;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager);
    undici = new UndiciInstrumentation();
    undici.setTracerProvider(tracerProvider);
    stop = instrumentVerigator({ tracerProvider, meterProvider });
    sim = await startSimulator({ users: [{ id: USER, username: EMAIL, phoneNumber: PHONE }] });
    ({ app } = await createVerigatorApp(
      sim.url,
      { timeout: 2_000 },
      { controllers: [AccountController] },
    ));
  });
  afterAll(async () => {
    undici.disable();
    stop();
    await app?.close();
    await sim?.close();
    context.disable();
  });

  const post = (token?: string) => {
    const req = request(app.getHttpServer()).post('/account/transfer').set('x-user', USER);
    return token === undefined ? req : req.set('X-Verigator-Token', token);
  };
  const named = (name: string): ReadableSpan[] =>
    spans.getFinishedSpans().filter((span) => span.name === name);
  /** The spans undici's instrumentation made, one per HTTP request. */
  const httpSpans = (): ReadableSpan[] =>
    spans
      .getFinishedSpans()
      .filter((span) => span.instrumentationScope.name.includes('instrumentation-undici'));
  const ours = (): ReadableSpan[] =>
    spans
      .getFinishedSpans()
      .filter((span) => span.instrumentationScope.name === 'nestjs-verigator');
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  async function metric(name: string): Promise<DataPoint<unknown>[]> {
    const { resourceMetrics } = await reader.collect();
    const found = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === name);
    return (found?.dataPoints ?? []) as DataPoint<unknown>[];
  }
  const sum = async (name: string) =>
    (await metric(name)).reduce((total, point) => total + (point.value as number), 0);

  it('records the guard and its calls: a sent code, a wrong one, a right one', async () => {
    await post().expect(401);
    const code = sim.lastCode(USER)!;
    await post(code === '000000' ? '111111' : '000000').expect(401);
    await post(code).expect(201);

    const initiate = named('verigator auth.initiate');
    expect(initiate).toHaveLength(1);
    expect(initiate[0].kind).toBe(2); // SpanKind.CLIENT
    expect(initiate[0].attributes).toEqual({
      'verigator.operation': 'auth.initiate',
      'verigator.outcome': 'success',
      'http.request.method': 'POST',
      'url.template': '/v1/service/service/{serviceId}/users/{userId}/auth',
      'server.address': new URL(sim.url).hostname,
      'server.port': Number(new URL(sim.url).port),
      'verigator.breaker.state': 'closed',
    });
    expect(named('verigator auth.verify')).toHaveLength(2);
    const decisions = named('verigator guard').map((s) => s.attributes);
    expect(decisions).toEqual([
      expect.objectContaining({ 'verigator.guard.decision': 'codeSent' }),
      expect.objectContaining({
        'verigator.guard.decision': 'failed',
        'verigator.guard.reason': 'invalid',
        'verigator.guard.outcome': 'refused',
      }),
      expect.objectContaining({
        'verigator.guard.decision': 'verified',
        'verigator.guard.outcome': 'passed',
        'verigator.guard.route': 'AccountController.transfer',
      }),
    ]);

    expect(await sum('verigator.codes.sent')).toBe(1);
    expect(await sum('verigator.codes.failed')).toBe(1);
    expect(await sum('verigator.codes.verified')).toBe(1);
    const durations = await metric('verigator.call.duration');
    expect(durations.map((p) => p.attributes['verigator.operation']).sort()).toEqual([
      'auth.initiate',
      'auth.verify',
    ]);
    expect(durations.map((p) => (p.value as { count: number }).count).sort()).toEqual([1, 2]);
  });

  it('counts a refused send as a refused SMS', async () => {
    await post().expect(401); // sends a code
    await post().expect(401); // that code is still fresh: cooldown, no SMS
    expect(await sum('verigator.sms.refused')).toBeGreaterThanOrEqual(1);
    channel('verigator:sms:defence').publish({ type: 'smsRefused', reason: 'country' });
    const byReason = (await metric('verigator.sms.refused')).map((p) => p.attributes.reason);
    expect(byReason).toContain('country');
  });

  it('nests a call under the active span, and its HTTP requests under the call', async () => {
    spans.reset();
    sim.injectFault({ method: 'GET', path: '/v1/service/service/*/users/*', status: 503 });
    const tracer = tracerProvider.getTracer('app');
    await tracer.startActiveSpan('checkout', async (parent) => {
      await app.get(UsersService).get(SERVICE_ID, USER);
      parent.end();
    });
    const [call] = named('verigator users.get');
    const [parent] = named('checkout');
    expect(parentOf(call)).toBe(parent.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      'verigator.outcome': 'success',
      'verigator.retries': 1,
      'verigator.failover': false,
      'verigator.breaker.state': 'closed',
    });
    // The 503 and the retry that succeeded: two HTTP spans, both children of the call's span.
    // (Not their times: the SDK anchors each span's clock on its own Date.now(), so times of two
    // spans may differ from the truth by up to a millisecond.)
    const requests = httpSpans();
    expect(requests.map((span) => span.attributes['http.response.status_code'])).toEqual([
      503, 200,
    ]);
    for (const request of requests) {
      expect(parentOf(request)).toBe(call.spanContext().spanId);
    }
  });

  it('nests the HTTP requests under their call for the guard too', async () => {
    spans.reset();
    const code = sim.lastCode(USER)!;
    await post(code === '000000' ? '111111' : '000000').expect(401);
    const [verify] = named('verigator auth.verify');
    const [http] = httpSpans();
    expect(http.attributes['http.request.method']).toBe('PUT');
    expect(parentOf(http)).toBe(verify.spanContext().spanId);
  });

  it('records a failed call with its error code and an error status', async () => {
    spans.reset();
    await expect(app.get(UsersService).get(SERVICE_ID, 'nobody')).rejects.toThrow();
    const [call] = named('verigator users.get');
    expect(call.attributes).toMatchObject({
      'verigator.outcome': 'failure',
      'error.type': 'NO_SUCH_RESOURCE',
      'http.response.status_code': 404,
    });
    expect(call.status.code).toBe(2); // SpanStatusCode.ERROR
  });

  it('records the breaker state: open on the call that opened it and on those it refuses', async () => {
    const { app: fragile } = await createVerigatorApp(sim.url, {
      retries: 0,
      circuitBreaker: { threshold: 1, halfOpenAfter: 60_000 },
    });
    try {
      spans.reset();
      sim.injectFault({ method: 'GET', path: '/v1/service/service/*/users/*', status: 503 });
      const users = fragile.get(UsersService);
      await expect(users.get(SERVICE_ID, USER)).rejects.toThrow();
      await expect(users.get(SERVICE_ID, USER)).rejects.toThrow();
      expect(named('verigator users.get').map((span) => span.attributes)).toEqual([
        expect.objectContaining({
          'http.response.status_code': 503,
          'verigator.breaker.state': 'open',
        }),
        expect.objectContaining({
          'error.type': 'CIRCUIT_OPEN',
          'verigator.breaker.state': 'open',
        }),
      ]);
      expect(httpSpans()).toHaveLength(1); // the open circuit sent nothing
    } finally {
      await fragile.close();
    }
  });

  it('never records an id, phone number, e-mail, token or credential', async () => {
    const { resourceMetrics } = await reader.collect();
    // undici's HTTP spans carry the URL, ids included (docs/opentelemetry.md: how to trim it);
    // ours never do.
    expect(httpSpans().length).toBeGreaterThan(0);
    const recorded = JSON.stringify([
      ours().map((s) => [s.name, s.attributes, s.events]),
      resourceMetrics.scopeMetrics.map((s) => s.metrics.map((m) => m.dataPoints)),
    ]);
    const code = sim.lastCode(USER);
    for (const secret of [USER, 'nobody', SERVICE_ID, PHONE, EMAIL, TEST_PASSWORD, code]) {
      expect(recorded).not.toContain(secret);
    }
  });

  it('stops recording once unsubscribed', async () => {
    stop();
    spans.reset();
    await app.get(UsersService).get(SERVICE_ID, USER);
    expect(httpSpans()).toHaveLength(1);
    expect(ours()).toEqual([]);
    stop = instrumentVerigator({ tracerProvider, meterProvider });
  });
});
