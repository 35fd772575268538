import { INestApplication } from '@nestjs/common';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import request from 'supertest';
import {
  InMemoryTwoFactorStore,
  UsersService,
  VERIGATOR_CHANNELS,
  VerigatorEvent,
  VerigatorModuleOptions,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import {
  ADAPTERS,
  AccountController,
  AdapterFactory,
  CapturingLogger,
  SERVICE_ID,
  TEST_PASSWORD,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';
import { closedPortUrl } from '../utils/recording-server';

const PHONE = '+3725555555';
const USER = 'user-alice';

/** The audit trail as an app records it: `onEvent` and the diagnostics channels. */
describe.each(ADAPTERS)('the audit trail (%s)', (_name, adapter: AdapterFactory) => {
  let sim: VerigatorSimulator;
  let app: INestApplication;
  let logger: CapturingLogger;
  let events: VerigatorEvent[];

  beforeAll(async () => {
    sim = await startSimulator({
      users: [{ id: USER, username: 'alice@example.com', phoneNumber: PHONE }],
    });
  });
  afterAll(() => sim.close());
  afterEach(async () => {
    await app?.close();
    sim.reset();
  });

  async function start(options: Partial<VerigatorModuleOptions> = {}): Promise<void> {
    events = [];
    ({ app, logger } = await createVerigatorApp(
      sim.url,
      { onEvent: (event) => void events.push(event), ...options },
      { adapter, controllers: [AccountController] },
    ));
  }

  function post(path: string, token?: string, user: string | null = USER) {
    const req = request(app.getHttpServer()).post(path);
    if (user !== null) req.set('x-user', user);
    if (token !== undefined) req.set('X-Verigator-Token', token);
    return req;
  }

  // What a user writes to name one kind: the guard's decisions carry `route`, calls are `call`.
  type GuardEvent = Extract<VerigatorEvent, { route: string }>;
  type CallEvent = Extract<VerigatorEvent, { type: 'call' }>;
  const guardEvents = () => events.filter((e): e is GuardEvent => 'route' in e);
  const calls = () => events.filter((e): e is CallEvent => e.type === 'call');

  it('records a sent code, a refused send, a wrong code, a right code and a remembered pass', async () => {
    await start();
    await post('/account/transfer').expect(401);
    await post('/account/transfer').expect(401);
    const code = sim.lastCode(USER)!;
    const wrong = code === '000000' ? '111111' : '000000';
    await post('/account/transfer', wrong).expect(401);
    await post('/account/remembered', code).expect(201);
    await post('/account/remembered').expect(201);

    const common = {
      serviceId: SERVICE_ID,
      userId: USER,
      method: 'sms',
      latencyMs: expect.any(Number),
      timestamp: expect.any(Number),
    };
    expect(guardEvents()).toEqual([
      { ...common, type: 'codeSent', route: 'AccountController.transfer', outcome: 'refused' },
      {
        ...common,
        type: 'sendRefused',
        route: 'AccountController.transfer',
        outcome: 'refused',
        reason: 'cooldown',
      },
      {
        ...common,
        type: 'failed',
        route: 'AccountController.transfer',
        outcome: 'refused',
        reason: 'invalid',
      },
      { ...common, type: 'verified', route: 'AccountController.remembered', outcome: 'passed' },
      { ...common, type: 'remembered', route: 'AccountController.remembered', outcome: 'passed' },
    ]);
    expect(calls().map((c) => [c.operation, c.outcome])).toEqual([
      ['auth.initiate', 'success'],
      ['auth.verify', 'success'],
      ['auth.verify', 'success'],
    ]);
    expect(calls()[0]).toEqual({
      type: 'call',
      operation: 'auth.initiate',
      httpMethod: 'POST',
      path: '/v1/service/service/{serviceId}/users/{userId}/auth',
      serviceId: SERVICE_ID,
      userId: USER,
      endpoint: sim.url,
      breakerState: 'closed',
      outcome: 'success',
      latencyMs: expect.any(Number),
      timestamp: expect.any(Number),
    });
    for (const event of [...guardEvents(), ...calls()]) {
      expect(event.latencyMs).toBeGreaterThanOrEqual(0);
      expect(Object.isFrozen(event)).toBe(true);
    }
    const recorded = JSON.stringify(events);
    for (const secret of [code, wrong, TEST_PASSWORD, PHONE, '5555555', 'alice@example.com']) {
      expect(recorded).not.toContain(secret);
    }
  });

  it('records a lockout, a malformed token and a request without a user', async () => {
    await start({ twoFactor: { maxAttempts: 1 } });
    await post('/account/transfer', 'not-a-code').expect(401);
    await post('/account/transfer', '123456').expect(429);
    await post('/account/transfer', undefined, null).expect(401);
    expect(guardEvents().map((e) => [e.type, e.outcome, e.reason, e.userId])).toEqual([
      ['failed', 'refused', 'malformed', USER],
      ['lockedOut', 'refused', undefined, USER],
      ['userUnknown', 'refused', undefined, undefined],
    ]);
    expect(calls()).toEqual([]);
    expect(JSON.stringify(events)).not.toContain('not-a-code');
  });

  it('records a send refused by the send budget, and no send while locked out', async () => {
    let now = Date.now();
    const store = new InMemoryTwoFactorStore({ now: () => now });
    await start({ twoFactor: { maxSends: 1, cooldown: 1_000, maxAttempts: 1, store } });
    await post('/account/transfer').expect(401);
    now += 1_000; // on the store's clock: the cooldown is over, the send budget's window is not
    await post('/account/transfer').expect(429);
    const code = sim.lastCode(USER)!;
    await post('/account/transfer', code === '000000' ? '111111' : '000000').expect(401);
    await post('/account/transfer').expect(429);
    expect(guardEvents().map((e) => [e.type, e.outcome, e.reason])).toEqual([
      ['codeSent', 'refused', undefined],
      ['sendRefused', 'refused', 'budget'],
      ['failed', 'refused', 'invalid'],
      ['lockedOut', 'refused', undefined],
    ]);
    expect(sim.messages({ userId: USER })).toHaveLength(1);
  });

  it('records Verigator being unavailable, failing closed, then open with failOpen', async () => {
    await start();
    sim.injectFault({ method: 'POST', path: '/**/auth', status: 503 });
    await post('/account/transfer').expect(502);
    await app.close();
    await start({ twoFactor: { failOpen: true } });
    sim.injectFault({ method: 'POST', path: '/**/auth', reset: true });
    await post('/account/transfer').expect(201);

    expect(guardEvents().map((e) => [e.type, e.outcome, e.error])).toEqual([
      [
        'unavailable',
        'passed',
        { name: 'ConnectionError', code: 'CONNECTION_ERROR', statusCode: 0 },
      ],
    ]);
    expect(calls()).toEqual([
      expect.objectContaining({
        operation: 'auth.initiate',
        outcome: 'failure',
        error: { name: 'ConnectionError', code: 'CONNECTION_ERROR', statusCode: 0 },
      }),
    ]);
  });

  it('records a failed call with its status, never the upstream message', async () => {
    await start();
    sim.injectFault({
      method: 'POST',
      path: '/**/auth',
      status: 500,
      body: { message: `phone ${PHONE} broke` },
    });
    await post('/account/transfer').expect(502);
    expect(guardEvents()).toEqual([
      expect.objectContaining({
        // A 500 answers one request: an error, not an outage (failOpen would not apply).
        type: 'verigatorError',
        outcome: 'refused',
        error: { name: 'InternalError', code: 'INTERNAL_ERROR', statusCode: 500 },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(PHONE);
  });

  it('records service calls made outside the guard, ids in fields and not in the path', async () => {
    await start();
    const users = app.get(UsersService);
    await users.get(SERVICE_ID, USER);
    await expect(users.get(SERVICE_ID, 'no/such user')).rejects.toThrow();
    expect(calls().map((c) => [c.operation, c.path, c.userId, c.outcome, c.error?.code])).toEqual([
      ['users.get', '/v1/service/service/{serviceId}/users/{userId}', USER, 'success', undefined],
      [
        'users.get',
        '/v1/service/service/{serviceId}/users/{userId}',
        'no/such user',
        'failure',
        'NO_SUCH_RESOURCE',
      ],
    ]);
  });

  it('records retries, failover and breaker changes with the call they belong to', async () => {
    events = [];
    const dead = await closedPortUrl();
    ({ app, logger } = await createVerigatorApp(
      dead,
      {
        onEvent: (event) => void events.push(event),
        fallbackEndpoints: [sim.url],
        circuitBreaker: { threshold: 2, halfOpenAfter: 60_000 },
        timeout: 2000,
      },
      { adapter },
    ));
    const users = app.get(UsersService);
    sim.injectFault({ method: 'GET', path: '/v1/service/service/*/users/*', status: 503 });
    await users.get(SERVICE_ID, USER);

    const dump = events.map((e) => [
      e.type,
      'operation' in e ? e.operation : 'endpoint' in e ? e.endpoint : 'route' in e && e.route,
    ]);
    // attempt 1: the dead port fails over to the simulator, which answers 503: retried; attempt 2:
    // the dead port's second failure opens its breaker (threshold 2), then the simulator answers
    expect(dump).toEqual([
      ['failover', 'users.get'],
      ['retry', 'users.get'],
      ['breakerOpened', dead],
      ['failover', 'users.get'],
      ['call', 'users.get'],
    ]);
    expect(events[0]).toMatchObject({
      from: dead,
      to: sim.url,
      path: '/v1/service/service/{serviceId}/users/{userId}',
      userId: USER,
      error: { code: 'CONNECTION_ERROR' },
    });
    expect(events[1]).toMatchObject({
      endpoint: sim.url,
      attempt: 1,
      delayMs: expect.any(Number),
      error: { name: 'InternalError', statusCode: 503 },
    });
    expect(events[4]).toMatchObject({ outcome: 'success' });
    expect(JSON.stringify(events)).not.toContain(TEST_PASSWORD);
  });

  it('publishes the same events on the diagnostics channels', async () => {
    await start({ onEvent: undefined });
    const decisions: unknown[] = [];
    const callEvents: unknown[] = [];
    const onDecision = (event: unknown) => decisions.push(event);
    const onCall = (event: unknown) => callEvents.push(event);
    subscribe(VERIGATOR_CHANNELS.guardDecision, onDecision);
    subscribe(VERIGATOR_CHANNELS.clientCall, onCall);
    try {
      await post('/account/transfer').expect(401);
    } finally {
      unsubscribe(VERIGATOR_CHANNELS.guardDecision, onDecision);
      unsubscribe(VERIGATOR_CHANNELS.clientCall, onCall);
    }
    expect(decisions).toEqual([expect.objectContaining({ type: 'codeSent', userId: USER })]);
    expect(callEvents).toEqual([
      expect.objectContaining({ type: 'call', operation: 'auth.initiate' }),
    ]);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('audit store down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('audit store down'))],
  ])('answers as usual when the onEvent listener %s, and logs it', async (_how, onEvent) => {
    await start({ onEvent });
    await post('/account/transfer').expect(401);
    await post('/account/transfer', sim.lastCode(USER)).expect(201);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logger.text('error')).toContain('The onEvent listener failed');
    expect(logger.text('error')).toContain('audit store down');
  });
});
