import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAMPLE_RATE_LIMITS } from '../../sample/sample-settings';
import { NO_RATE_LIMITS, startSample } from '../utils/sample-app';
import { sendRequest } from '../utils/send-request';
import { until } from '../utils/until';

/**
 * Requests the chaos run sends, at this many at a time. The users' send budgets bound the run: on
 * a quiet machine they are spent after about 600 requests, and later requests answer 429 without
 * a Verigator call. 700 requests make about 280 Verigator calls, about 30 of them faulted (2,000
 * made about 330): every invariant below still meets every fault kind, under the same concurrency.
 */
const REQUESTS = 700;
const CONCURRENCY = 50;
/** Users (each driven by CONCURRENCY / USERS workers at once, to race the cooldown claim). */
const USERS = 25;
/**
 * The client timeout: only the injected delay runs past it. 50 calls at a time on a loaded 2-core
 * machine take over 400 ms: with 400 the calls that were not faulted timed out there too, opened
 * the breaker (550-600 of the 700 answers 503) and left 2-5 passes of the 10 required.
 */
const TIMEOUT_MS = 5000;
/** Each fault kind's chance per Verigator request: four kinds, about 10% of requests in all. */
const FAULT_PROBABILITY = 0.026;
const ALLOWED_STATUSES = new Set([200, 201, 401, 429, 502, 503, 504]);

type TokenKind = 'none' | 'latest' | 'wrong' | 'garbage';

interface Outcome {
  user: string;
  kind: TokenKind;
  token?: string;
  status: number;
}

/**
 * Chaos: the sample app with its guard under 700 requests at concurrency 50 while the simulator
 * injects 10% faults (500, reset, delay past the timeout, non-JSON 200). An unhandled rejection
 * fails the run by itself: jest fails any test during which one happens.
 */
describe('the sample app under injected Verigator faults', () => {
  it('lets only valid codes through, answers only known statuses, sends one code per request and leaks nothing', async () => {
    const resourcesBefore = countResources();
    // Per-client limits off (one client sends it all); the app-wide SMS limits as shipped.
    const { sms, smsPerPrefix } = SAMPLE_RATE_LIMITS;
    const sample = await startSample(
      { timeoutMs: TIMEOUT_MS, rateLimits: { ...NO_RATE_LIMITS, sms, smsPerPrefix } },
      { listen: true },
    );
    const { port } = sample.app.getHttpServer().address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const sim = sample.simulator!;
    const random = mulberry32(20261123);
    const call = (method: string, path: string, headers: Record<string, string>, body: object) =>
      sendRequest(
        port,
        method,
        path,
        { ...headers, 'Content-Type': 'application/json' },
        JSON.stringify(body),
        agent,
      );

    try {
      const users: { verigatorId: string; apiKey: string }[] = [];
      for (let i = 0; i < USERS; i++) {
        const signUp = await call(
          'POST',
          '/users',
          {},
          {
            username: `chaos${i}@example.com`,
            phoneNumber: `+3725555${String(1000 + i)}`,
          },
        );
        expect(signUp.status).toBe(201);
        users.push(JSON.parse(signUp.body) as { verigatorId: string; apiKey: string });
      }

      for (const fault of [
        { status: 500 },
        { reset: true },
        { delayMs: 2 * TIMEOUT_MS },
        { status: 200, body: '<html>upstream proxy error</html>' },
      ]) {
        sim.injectFault({ ...fault, path: '/v1/**', probability: FAULT_PROBABILITY, times: 1e9 });
      }

      const outcomes: Outcome[] = [];
      const used = new Set<string>();
      let next = 0;
      const worker = async (w: number) => {
        const user = users[w % USERS];
        while (next < REQUESTS) {
          next++;
          // a user types the newest code they got, once; without an unused one, they ask anew
          const latest = sim.lastCode(user.verigatorId);
          const fresh = latest !== undefined && !used.has(`${user.verigatorId}:${latest}`);
          const drawn = pickKind(random());
          const kind = drawn === 'latest' && !fresh ? 'none' : drawn;
          const token = tokenFor(kind, latest, random);
          const headers: Record<string, string> = { Authorization: `Bearer ${user.apiKey}` };
          if (token !== undefined) headers['X-Verigator-Token'] = token;
          const answer = await call('POST', '/transfers', headers, { to: 'bob', amount: 1 });
          outcomes.push({ user: user.verigatorId, kind, token, status: answer.status });
          if (kind === 'latest') used.add(`${user.verigatorId}:${token}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
      sim.clearFaults();

      expect(outcomes).toHaveLength(REQUESTS);
      const unexpected = outcomes.filter((o) => !ALLOWED_STATUSES.has(o.status));
      expect(unexpected).toEqual([]);

      // every pass carried a code the simulator texted to that user, and no code passed twice
      const passes = outcomes.filter((o) => o.status >= 200 && o.status < 300);
      const issued = new Map(
        users.map((u) => [
          u.verigatorId,
          new Set(sim.messages({ userId: u.verigatorId }).map((m) => m.code)),
        ]),
      );
      const forged = passes.filter(
        (o) => o.token === undefined || !issued.get(o.user)!.has(o.token),
      );
      expect(forged).toEqual([]);
      const passedCodes = passes.map((o) => `${o.user}:${o.token}`);
      expect(new Set(passedCodes).size).toBe(passedCodes.length);
      expect(outcomes.filter((o) => o.kind !== 'latest' && o.status < 300)).toEqual([]);

      // never two codes for one token-less request: per user, at most one send per such request
      const initiates = sim
        .requests()
        .filter((r) => r.method === 'POST' && r.path.endsWith('/auth'));
      for (const user of users) {
        const tokenless = outcomes.filter(
          (o) => o.user === user.verigatorId && o.token === undefined,
        );
        const sent = initiates.filter((r) => r.path.includes(`/users/${user.verigatorId}/`));
        expect(sent.length).toBeLessThanOrEqual(tokenless.length);
        expect(sim.messages({ userId: user.verigatorId }).length).toBeLessThanOrEqual(sent.length);
      }

      // the run exercised what it claims: passes, challenges, lockouts and each fault's answer
      const statuses = new Set(outcomes.map((o) => o.status));
      for (const status of [201, 401, 502, 503, 504]) expect(statuses).toContain(status);
      expect(passes.length).toBeGreaterThanOrEqual(10);
    } finally {
      agent.destroy();
      await sample.close();
    }
    await resourcesSettled(resourcesBefore);
  }, 60_000);
});

function pickKind(draw: number): TokenKind {
  if (draw < 0.4) return 'none';
  if (draw < 0.94) return 'latest';
  if (draw < 0.98) return 'wrong';
  return 'garbage';
}

function tokenFor(kind: TokenKind, latest: string | undefined, random: () => number) {
  switch (kind) {
    case 'none':
      return undefined;
    case 'latest':
      return latest;
    case 'wrong': {
      const guess = String(Math.floor(random() * 1e6)).padStart(6, '0');
      return guess === latest ? undefined : guess;
    }
    case 'garbage':
      return ['x', '12', '1234567890123', 'DROP TABLE', '12 34 5a'][Math.floor(random() * 5)];
  }
}

/** Sockets, servers and (referenced) timers alive now, by kind. */
function countResources(): Record<string, number> {
  const counts: Record<string, number> = { TCPSocketWrap: 0, TCPServerWrap: 0, Timeout: 0 };
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind]++;
  return counts;
}

/** Resolves once closing sockets have gone: no kind counts more than in `before`. */
async function resourcesSettled(before: Record<string, number>): Promise<void> {
  await until(
    () => Object.entries(countResources()).every(([kind, count]) => count <= before[kind]),
    () => `resources back to ${JSON.stringify(before)}, now ${JSON.stringify(countResources())}`,
  );
}

/** A small seeded PRNG, so the request mix is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
