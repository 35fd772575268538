import { VerigatorSimulator } from '../../lib/testing';
import { SimulatorFault } from '../../lib/testing';
import {
  AuthMethod,
  ConnectionError,
  InternalError,
  RequestTimeoutError,
  VerigatorError,
} from '../../lib';
import { closedPortUrl } from '../utils/recording-server';
import { SERVICE_ID, VerigatorTestApp, createVerigatorApp } from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';
import { until } from '../utils/until';

const USERS = 300;
const TIMEOUT_MS = 2000;

/** A small seeded generator (mulberry32), so a fault plan is the same on every run. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `task` over `items` with at most `concurrency` at once. */
async function eachConcurrently<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

const userId = (i: number): string => `user-${i}`;

describe('resilience under the simulator faults', () => {
  let sim: VerigatorSimulator;

  beforeAll(async () => {
    sim = await startSimulator({
      users: Array.from({ length: USERS }, (_, i) => ({
        id: userId(i),
        username: `${userId(i)}@example.com`,
        phoneNumber: `+37255${String(i).padStart(6, '0')}`,
      })),
    });
  });
  afterEach(() => sim.reset());
  afterAll(() => sim.close());

  it(`${USERS} initiates under resets, delays past the timeout and 5xx: never two SMS for one call`, async () => {
    // Every call first meets a dead endpoint (connection refused: provably not sent, so it moves
    // on), then the simulator, where about 30% of the requests meet a fault. No breaker here:
    // an open circuit would keep most calls from reaching the faults at all.
    const client = await createVerigatorApp(await closedPortUrl(), {
      fallbackEndpoints: [sim.url],
      timeout: TIMEOUT_MS,
      circuitBreaker: false,
    });
    const random = seededRandom(9);
    const kinds: Record<string, Partial<SimulatorFault>> = {
      reset: { reset: true },
      late: { delayMs: TIMEOUT_MS + 300 },
      error503: { status: 503 },
      error500: { status: 500 },
      none: { delayMs: 0 },
    };
    const plan = Array.from({ length: USERS }, () => {
      const r = random();
      return r < 0.1
        ? 'reset'
        : r < 0.2
          ? 'late'
          : r < 0.25
            ? 'error503'
            : r < 0.3
              ? 'error500'
              : 'none';
    });
    for (const kind of plan) sim.injectFault({ method: 'POST', path: '/**/auth', ...kinds[kind] });

    const outcomes = new Map<string, string>();
    try {
      await eachConcurrently([...Array(USERS).keys()], 25, async (i) => {
        const outcome = await client.auth
          .initiate(SERVICE_ID, userId(i), AuthMethod.SMS)
          .then(() => 'sent')
          .catch((error: unknown) => {
            expect(error).toBeInstanceOf(VerigatorError);
            return (error as VerigatorError).code;
          });
        outcomes.set(userId(i), outcome);
      });
    } finally {
      await client.app.close();
    }
    // The n-th POST to reach the simulator met the n-th fault of the plan (faults are taken in
    // order). Those that met a delay or no fault send their SMS, the late ones after the client
    // gave up on them: wait until they have.
    const sending = (): number =>
      plan
        .slice(0, sim.requests().filter((r) => r.method === 'POST').length)
        .filter((kind) => kind === 'late' || kind === 'none').length;
    await until(
      () => sim.messages().length >= sending(),
      () => `one SMS per POST that met a delay or no fault: ${sending()}`,
      { within: 10_000 },
    );
    expect(sim.messages()).toHaveLength(sending());

    const posts = sim.requests().filter((r) => r.method === 'POST');
    for (let i = 0; i < USERS; i++) {
      const path = `/v1/service/service/${SERVICE_ID}/users/${userId(i)}/auth`;
      // No call reached the simulator twice: nothing was sent again after a fault. (A call
      // may not reach it at all when a loaded machine spends its whole deadline elsewhere.)
      expect(posts.filter((r) => r.path === path).length).toBeLessThanOrEqual(1);
      expect(sim.messages({ userId: userId(i) }).length).toBeLessThanOrEqual(1);
      if (outcomes.get(userId(i)) === 'sent') {
        expect(sim.messages({ userId: userId(i) })).toHaveLength(1);
      }
    }
    const count = (code: string): number => [...outcomes.values()].filter((o) => o === code).length;
    // The faults were met: without these, the checks above would prove nothing.
    expect(posts.length).toBeGreaterThan(USERS * 0.9);
    expect(count('sent')).toBeGreaterThan(USERS * 0.5);
    expect(count('CONNECTION_ERROR')).toBeGreaterThan(USERS * 0.05);
    expect(count('REQUEST_TIMEOUT')).toBeGreaterThan(USERS * 0.05);
    expect(count('INTERNAL_ERROR')).toBeGreaterThan(USERS * 0.05);
    expect(outcomes.size).toBe(USERS);
  });

  describe('reads under 30% injected 503s', () => {
    const READS = 100;

    /** 30% 503s in a seeded order, never more than `retries` + 1 = 3 in a row. */
    function injectReadFaults(): number {
      const random = seededRandom(42);
      let run = 0;
      let injected = 0;
      for (let i = 0; i < READS * 1.5; i++) {
        const fail = run < 2 && random() < 0.3;
        run = fail ? run + 1 : 0;
        injected += fail ? 1 : 0;
        sim.injectFault({
          method: 'GET',
          path: '/v1/service/service/*/users/*',
          ...(fail ? { status: 503 } : { delayMs: 0 }),
        });
      }
      return injected;
    }

    async function readAll(client: VerigatorTestApp): Promise<number> {
      let failures = 0;
      for (let i = 0; i < READS; i++) {
        await client.users.get(SERVICE_ID, userId(i)).catch((error: unknown) => {
          expect(error).toBeInstanceOf(InternalError);
          failures++;
        });
      }
      return failures;
    }

    it('all succeed with the default retries', async () => {
      expect(injectReadFaults()).toBeGreaterThan(READS * 1.5 * 0.2);
      const client = await createVerigatorApp(sim.url, { circuitBreaker: false });
      try {
        expect(await readAll(client)).toBe(0);
        expect(sim.requests().filter((r) => r.method === 'GET').length).toBeGreaterThan(READS);
      } finally {
        await client.app.close();
      }
    });

    it('while without retries about a third of them would fail', async () => {
      injectReadFaults();
      const client = await createVerigatorApp(sim.url, { retries: 0, circuitBreaker: false });
      try {
        expect(await readAll(client)).toBeGreaterThan(READS * 0.15);
      } finally {
        await client.app.close();
      }
    });
  });

  it('a call that was refused everywhere is a ConnectionError, sent nowhere', async () => {
    const client = await createVerigatorApp(await closedPortUrl(), {
      fallbackEndpoints: [await closedPortUrl()],
    });
    try {
      const error = await client.auth
        .initiate(SERVICE_ID, userId(0), AuthMethod.SMS)
        .catch((e) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).not.toBeInstanceOf(RequestTimeoutError);
    } finally {
      await client.app.close();
    }
  });
});
