/*
 * Outage benchmark (run by hand: `npm run build && node bench/outage.cjs`): the latency of
 * guarded requests while Verigator hangs (accepts connections, never answers), with the default
 * circuit breaker and with `circuitBreaker: false`, in one run on 127.0.0.1. Each request is a
 * token-less call to a `@RequireTwoFactor()` route for a fresh user, so the guard asks Verigator
 * to send a code and fails closed (504 on a timeout, 503 once the circuit is open).
 * The outage's onset (the first CONCURRENCY requests, which open the breaker) is sent first and
 * not measured; then REQUESTS requests are. Reports p50/p90/p99 and the ratios; absolute times
 * depend on the machine, the ratio is the point.
 */
require('reflect-metadata');
const { Agent, createServer, request } = require('node:http');
const { Controller, Post } = require('@nestjs/common');
const { Test } = require('@nestjs/testing');
const { RequireTwoFactor, VerigatorModule } = require('../dist');

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 1000);

class TransfersController {
  transfer() {
    return { ok: true };
  }
}
Controller('transfers')(TransfersController);
const method = Object.getOwnPropertyDescriptor(TransfersController.prototype, 'transfer');
Post()(TransfersController.prototype, 'transfer', method);
RequireTwoFactor()(TransfersController.prototype, 'transfer', method);

async function startApp(endpoint, circuitBreaker) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      VerigatorModule.forRoot({
        username: 'bench',
        password: 'bench-password',
        endpoint,
        serviceId: 'bench-service',
        timeout: TIMEOUT_MS,
        circuitBreaker,
      }),
    ],
    controllers: [TransfersController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.use((req, _res, next) => {
    req.user = { verigatorId: req.headers['x-user'] };
    next();
  });
  await app.listen(0, '127.0.0.1');
  return app;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** POSTs to a guarded route as `user`, without a token; resolves to the status. */
function post(url, user) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'x-user': user } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `count` guarded requests, CONCURRENCY at once; resolves to sorted latencies and statuses. */
async function drive(url, count, userPrefix) {
  const latencies = [];
  const statuses = {};
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const started = process.hrtime.bigint();
      const status = await post(`${url}/transfers`, `${userPrefix}-${i}`);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies: latencies.sort((a, b) => a - b), statuses };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measure(name, endpoint, circuitBreaker) {
  const app = await startApp(endpoint, circuitBreaker);
  try {
    const url = await app.getUrl();
    await drive(url, CONCURRENCY, 'onset');
    const { latencies, statuses } = await drive(url, REQUESTS, 'u');
    const result = {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      statuses,
    };
    console.log(
      `${name}: p50 ${result.p50.toFixed(1)} ms, p90 ${result.p90.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, answers ${JSON.stringify(statuses)}`,
    );
    return result;
  } finally {
    await app.close();
  }
}

async function main() {
  const hanging = createServer(() => undefined);
  await new Promise((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${hanging.address().port}`;
  console.log(
    `Verigator hanging; after the onset, ${REQUESTS} guarded requests, ${CONCURRENCY} at once, timeout ${TIMEOUT_MS} ms`,
  );
  try {
    const without = await measure('without breaker', endpoint, false);
    const withBreaker = await measure(
      'with breaker (default: 5 failures, 30 s)',
      endpoint,
      undefined,
    );
    console.log(
      `with/without: p50 ${(withBreaker.p50 / without.p50).toFixed(3)}x, p99 ${(withBreaker.p99 / without.p99).toFixed(3)}x`,
    );
  } finally {
    agent.destroy();
    hanging.closeAllConnections();
    hanging.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
