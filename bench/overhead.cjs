/*
 * Benchmark: ratios, in one run, against raw-HTTP baselines on 127.0.0.1 (never absolute times:
 * these machines are shared and noisy). Run with `npm run bench` (builds first).
 *  1. simulator: the simulator answering GET service vs a bare node:http server answering the same
 *     JSON, both driven by the same keep-alive client.
 *  2. client: ServicesService.get() vs a raw keep-alive axios GET, both against the simulator.
 */
require('reflect-metadata');
const { createServer, Agent } = require('node:http');
const axios = require('axios');
const { Test } = require('@nestjs/testing');
const { ServicesService, VerigatorModule } = require('../dist');
const { VerigatorSimulator } = require('../dist/testing');

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const AUTH = { username: 'bench', password: 'bench-password' };
const SERVICE_ID = 'bench-service';

/** Runs `call` REQUESTS times, CONCURRENCY at once; resolves to requests per second. */
async function throughput(call) {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next++ < REQUESTS) await call();
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return REQUESTS / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Best of ROUNDS for each side, alternating, after a warm-up; resolves to [baseline, subject]. */
async function compare(baseline, subject) {
  await throughput(baseline);
  await throughput(subject);
  let best = [0, 0];
  for (let i = 0; i < ROUNDS; i++) {
    best = [
      Math.max(best[0], await throughput(baseline)),
      Math.max(best[1], await throughput(subject)),
    ];
  }
  return best;
}

function report(name, [baseline, subject], baselineName) {
  const ratio = subject / baseline;
  console.log(
    `${name}: ${Math.round(subject)} req/s, ${ratio.toFixed(2)}x of ${baselineName} (${Math.round(baseline)} req/s)`,
  );
}

async function main() {
  const seed = { services: [{ id: SERVICE_ID, name: 'Bench', fqdn: 'bench.local' }] };
  const sim = await VerigatorSimulator.start({ ...AUTH, seed });
  const body = JSON.stringify({ id: SERVICE_ID, name: 'Bench', ctime: new Date().toISOString() });
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body));
  });
  await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${bare.address().port}`;

  const raw = axios.create({
    httpAgent: new Agent({ keepAlive: true }),
    headers: { 'X-Service-Auth': `${AUTH.username}:${AUTH.password}`, Accept: 'application/json' },
  });
  const path = `/v1/service/service/${SERVICE_ID}`;
  const moduleRef = await Test.createTestingModule({
    imports: [VerigatorModule.forRoot({ ...AUTH, endpoint: sim.url })],
  }).compile();
  const services = moduleRef.get(ServicesService);

  console.log(`${REQUESTS} requests, ${CONCURRENCY} at once, best of ${ROUNDS} rounds`);
  report(
    'simulator',
    await compare(
      () => raw.get(bareUrl + path),
      () => raw.get(sim.url + path),
    ),
    'a bare node:http server',
  );
  report(
    'ServicesService.get',
    await compare(
      () => raw.get(sim.url + path),
      () => services.get(SERVICE_ID),
    ),
    'raw axios',
  );

  await moduleRef.close();
  raw.defaults.httpAgent.destroy();
  await sim.close();
  bare.closeAllConnections();
  await new Promise((resolve) => bare.close(resolve));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
