/*
 * `npm run bench`: every benchmark of BENCHMARKS.md in one run, written to bench/results.json
 * and BENCHMARKS.md. Figures are compared as ratios to baselines measured in the same run,
 * interleaved, on this machine; absolute numbers only describe the machine.
 *
 * Environment: BENCH_ROUNDS (5), BENCH_CALLS per client run (800), BENCH_GUARD_ROUNDS (10),
 * BENCH_SECONDS per guard run (1; each route runs twice a round), BENCH_QUICK=1 (a smoke run: 1 round, few calls; prints, writes nothing).
 * Run through npm (it passes --expose-gc, needed for the heap figures).
 */
const os = require('node:os');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const prettier = require('prettier');
const { startUpstream } = require('./lib/upstream.cjs');
const { benchClient } = require('./client.cjs');
const { benchGuard } = require('./guard.cjs');
const { benchGuardInProcess } = require('./guard-in-process.cjs');
const { benchInMemoryStore } = require('./in-memory-store.cjs');
const { benchRedisStore } = require('./lib/redis-store.cjs');
const { writeReport } = require('./lib/report.cjs');

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 5)),
  calls: Number(process.env.BENCH_CALLS ?? (quick ? 300 : 800)),
  concurrencies: [1, 8, 32],
  allocationCalls: quick ? 300 : 1000,
  guardRounds: Number(process.env.BENCH_GUARD_ROUNDS ?? (quick ? 1 : 10)),
  guardSeconds: Number(process.env.BENCH_SECONDS ?? 1),
  guardConnections: 16,
  storeOps: quick ? 50_000 : 300_000,
};
const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  if (typeof global.gc !== 'function') throw new Error('run with --expose-gc (npm run bench)');
  const started = Date.now();
  const sections = {}; // seconds since the start when each section ended
  const loadBefore = os.loadavg();
  const upstream = await startUpstream();
  let client;
  let guard;
  try {
    log(`upstream (simulator, benchmarking mode) at ${upstream.url}, pid ${upstream.pid}`);
    client = await benchClient(upstream.url, { ...settings, log });
    sections.client = Math.round((Date.now() - started) / 1000);
    guard = await benchGuard(upstream.url, {
      rounds: settings.guardRounds,
      seconds: settings.guardSeconds,
      connections: settings.guardConnections,
      log,
    });
    guard.inProcess = await benchGuardInProcess({
      rounds: quick ? 3 : 21,
      calls: quick ? 2_000 : 20_000,
      upstreamUrl: upstream.url,
      upstreamRounds: quick ? 3 : 30,
      upstreamCalls: quick ? 400 : 800,
      log,
    });
    sections.guard = Math.round((Date.now() - started) / 1000);
  } finally {
    await upstream.stop();
  }
  const stores = {
    inMemory: await benchInMemoryStore({ rounds: settings.rounds, ops: settings.storeOps, log }),
    redis: await benchRedisStore({ rounds: quick ? 1 : 2, log }),
  };
  const results = {
    generatedAt: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    sectionsEndedAtSeconds: sections,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      totalMemoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadAverageBefore: loadBefore.map((x) => Number(x.toFixed(2))),
      loadAverageAfter: os.loadavg().map((x) => Number(x.toFixed(2))),
    },
    node: process.version,
    versions: {
      axios: require('axios/package.json').version,
      undici: require('undici/package.json').version,
      '@nestjs/core': require('@nestjs/core/package.json').version,
      autocannon: require('autocannon/package.json').version,
    },
    settings,
    client,
    guard,
    stores,
  };
  const root = join(__dirname, '..');
  // Written as Prettier would, so `npm run lint` accepts the committed results.
  const markdown = await prettier.format(writeReport(results), { parser: 'markdown' });
  const json = await prettier.format(JSON.stringify(results), { parser: 'json' });
  if (quick) {
    process.stdout.write(markdown);
    return;
  }
  writeFileSync(join(__dirname, 'results.json'), json);
  writeFileSync(join(root, 'BENCHMARKS.md'), markdown);
  log(`wrote bench/results.json and BENCHMARKS.md in ${results.durationSeconds} s`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
