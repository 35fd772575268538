/*
 * Benchmark: TwoFactorGuard decisions per second with RedisTwoFactorStore vs the in-memory store,
 * in one run, as ratios; and the Redis round trips each decision costs. Run with
 * `npm run bench:stores` (builds first). Starts its own redis-server on 127.0.0.1 (no
 * persistence) unless REDIS_URL is set; Verigator is a bare node:http fake on 127.0.0.1, so the
 * store's cost is what differs. Prints one JSON line at the end.
 *
 * Scenarios (one user per concurrent worker, so no lockout):
 *  - verify:           a token, maxAge 0: increment, Verigator verify, delete attempts + cooldown
 *  - verify-maxAge:    the same with maxAge (a new session each time): get success (miss) first,
 *                      then set success after
 *  - remembered:       maxAge hit: one get, no Verigator call
 *  - cooldown-repeat:  no token while the cooldown holds: get attempts (lockout check),
 *                      setIfAbsent (taken), get the method sent; 401
 */
require('reflect-metadata');
const { spawn } = require('node:child_process');
const { createServer } = require('node:http');
const net = require('node:net');
const { Test } = require('@nestjs/testing');
const { default: Redis } = require('ioredis');
const { stopWithProcess } = require('./lib/stop-with-process.cjs');
const {
  InMemoryTwoFactorStore,
  RedisTwoFactorStore,
  TwoFactorGuard,
  VerigatorModule,
} = require('../dist');

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COUNTED = 200;
const TOKEN = '123456';

const SCENARIOS = {
  verify: { options: {}, token: TOKEN },
  'verify-maxAge': {
    options: { maxAge: 60_000, sessionKey: (request) => request.session },
    token: TOKEN,
  },
  remembered: { options: { maxAge: 3_600_000 }, token: undefined, prime: TOKEN },
  'cooldown-repeat': { options: {}, token: undefined, prime: null },
};

/** A Verigator that verifies every token and sends every code, at once. */
async function startFakeVerigator() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = req.method === 'PUT' ? { verified: true } : { method: 'sms', auth_id: 'a' };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** redis-server on a free loopback port, no persistence; resolves to { url, stop }. */
async function startRedis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = stopWithProcess(spawn('redis-server', args, { stdio: 'ignore' }));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  try {
    await new Promise((resolve, reject) => {
      child.once('error', () =>
        reject(new Error('redis-server is not installed (or set REDIS_URL)')),
      );
      child.once('spawn', resolve);
    });
    const url = `redis://127.0.0.1:${port}`;
    const probeClient = new Redis(url, { retryStrategy: () => 20 }).on('error', () => {});
    try {
      await probeClient.ping();
    } finally {
      probeClient.disconnect();
    }
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Counts store calls, and round trips as waves of calls (sequential runs only). */
function counting(store) {
  const counts = { calls: 0, waves: 0 };
  let inFlight = 0;
  const wrapped = {};
  for (const method of ['get', 'set', 'setIfAbsent', 'increment', 'decrement', 'delete']) {
    wrapped[method] = async (...args) => {
      counts.calls++;
      if (inFlight++ === 0) counts.waves++;
      try {
        return await store[method](...args);
      } finally {
        inFlight--;
      }
    };
  }
  return { store: wrapped, counts };
}

async function buildGuard(store, endpoint, options) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      VerigatorModule.forRoot({
        username: 'bench',
        password: 'bench-password',
        endpoint,
        serviceId: 'bench-service',
        twoFactor: { store, maxAttempts: 1_000_000, ...options },
      }),
    ],
  }).compile();
  return { guard: moduleRef.get(TwoFactorGuard), close: () => moduleRef.close() };
}

let sessions = 0;

/** A minimal ExecutionContext of an HTTP request; each request gets a new session id. */
function context(userId, token) {
  const request = {
    headers: token ? { 'x-verigator-token': token } : {},
    user: { verigatorId: userId },
    session: `session-${++sessions}`,
  };
  const response = { header: () => response };
  const http = { getRequest: () => request, getResponse: () => response };
  return {
    getType: () => 'http',
    getHandler: () => context,
    getClass: () => Object,
    switchToHttp: () => http,
  };
}

/** One guard decision; a refusal (401) is a decision too. */
async function decide(guard, userId, token) {
  try {
    return await guard.canActivate(context(userId, token));
  } catch (error) {
    if (typeof error.getStatus !== 'function') throw error;
    return false;
  }
}

async function throughput(guard, scenario, prefix) {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (w) => {
    while (next++ < REQUESTS) await decide(guard, `${prefix}-${w}`, scenario.token);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  return REQUESTS / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Puts each worker's user in the scenario's starting state. */
async function prime(guard, scenario, prefix, workers) {
  if (scenario.prime === undefined) return;
  for (let w = 0; w < workers; w++)
    await decide(guard, `${prefix}-${w}`, scenario.prime ?? undefined);
}

/** Runs every scenario on both stores; resolves to their results. */
async function measure(endpoint, redis) {
  let commands = 0;
  const sendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    commands++;
    return sendCommand(command, stream);
  };
  await redis.flushall();

  const results = [];
  console.log(`${REQUESTS} decisions, ${CONCURRENCY} at once, best of ${ROUNDS} rounds`);
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const stores = {
      memory: new InMemoryTwoFactorStore(),
      redis: new RedisTwoFactorStore(redis, { prefix: `bench-${name}:` }),
    };
    const guards = {};
    for (const [kind, store] of Object.entries(stores)) {
      guards[kind] = await buildGuard(store, endpoint, scenario.options);
      await prime(guards[kind].guard, scenario, kind, CONCURRENCY);
    }
    await throughput(guards.memory.guard, scenario, 'memory');
    await throughput(guards.redis.guard, scenario, 'redis');
    const best = { memory: 0, redis: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of ['memory', 'redis']) {
        best[kind] = Math.max(best[kind], await throughput(guards[kind].guard, scenario, kind));
      }
    }

    // Round trips: a sequential run through a counting wrapper and the client's command count.
    const counted = counting(stores.redis);
    const countingGuard = await buildGuard(counted.store, endpoint, scenario.options);
    await prime(countingGuard.guard, scenario, 'counted', 1);
    counted.counts.calls = counted.counts.waves = 0;
    const commandsBefore = commands;
    for (let i = 0; i < COUNTED; i++)
      await decide(countingGuard.guard, 'counted-0', scenario.token);
    for (const { close } of [guards.memory, guards.redis, countingGuard]) await close();

    const result = {
      scenario: name,
      inMemoryPerSecond: Math.round(best.memory),
      redisPerSecond: Math.round(best.redis),
      ratio: Number((best.redis / best.memory).toFixed(3)),
      storeCallsPerDecision: counted.counts.calls / COUNTED,
      redisCommandsPerDecision: (commands - commandsBefore) / COUNTED,
      sequentialRoundTripsPerDecision: counted.counts.waves / COUNTED,
    };
    results.push(result);
    console.log(
      `${name}: redis ${result.redisPerSecond}/s, ${result.ratio}x of in-memory ` +
        `(${result.inMemoryPerSecond}/s); ${result.redisCommandsPerDecision} Redis commands in ` +
        `${result.sequentialRoundTripsPerDecision} sequential round trips per decision`,
    );
  }
  return results;
}

async function main() {
  const verigator = await startFakeVerigator();
  let redisServer;
  let redis;
  try {
    redisServer = await startRedis();
    redis = new Redis(redisServer.url);
    const results = await measure(`http://127.0.0.1:${verigator.address().port}`, redis);
    console.log(
      JSON.stringify({
        benchmark: 'stores',
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        results,
      }),
    );
  } finally {
    redis?.disconnect();
    await redisServer?.stop();
    verigator.closeAllConnections();
    await new Promise((resolve) => verigator.close(resolve));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
