/**
 * The guard's cost, driven by autocannon against an app in its own process: a route under
 * `@RequireTwoFactor()` verifying a token vs the same route calling `verify` in its handler, the
 * remembered (`maxAge`) path vs an unguarded route, and our own work on it: its CPU per request
 * minus a pass-through guard's. Routes take turns within every round.
 */
const { fork } = require('node:child_process');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { UPSTREAM } = require('./lib/upstream.cjs');
const { spread } = require('./lib/stats.cjs');

const ROUTES = [
  'guarded',
  'handler-verify',
  'remembered',
  'unguarded',
  'pass-through',
  'intercepted',
];
/** The targets first (report.cjs reads them in this order), then the breakdown. */
const PAIRS = [
  ['guarded', 'handler-verify'],
  ['remembered', 'unguarded'],
  ['remembered', 'pass-through'],
  ['pass-through', 'unguarded'],
  ['intercepted', 'unguarded'],
];

/** The app process's CPU time so far, in µs (user + system). */
function appCpu(child) {
  return new Promise((resolve) => {
    child.once('message', ({ cpu }) => resolve(cpu.user + cpu.system));
    child.send('cpu');
  });
}

async function load(child, url, seconds, connections) {
  const cpu0 = await appCpu(child);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { 'x-user': UPSTREAM.userId, 'x-verigator-token': UPSTREAM.token },
  });
  const cpu1 = await appCpu(child);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return {
    throughput: result.requests.average,
    appCpuUs: (cpu1 - cpu0) / result.requests.total,
    p50Us: result.latency.p50 * 1000,
    p99Us: result.latency.p99 * 1000,
  };
}

async function benchGuard(upstreamUrl, { rounds, seconds, connections, log }) {
  const child = fork(join(__dirname, 'guard-app.cjs'), [upstreamUrl], { stdio: 'inherit' });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`guard app exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}/`;
  // Prime the remembered path (its first request verifies), then warm every route up.
  for (const route of ROUTES) await load(child, base + route, 1, connections);
  const samples = Object.fromEntries(ROUTES.map((r) => [r, []]));
  for (let round = 0; round < rounds; round++) {
    const order = ROUTES.map((_, i) => ROUTES[(i + round) % ROUTES.length]);
    for (const route of order)
      samples[route].push(await load(child, base + route, seconds, connections));
    log(`  guard round ${round + 1}/${rounds} done`);
  }
  child.removeAllListeners('exit');
  child.disconnect();
  const routes = ROUTES.map((route) => ({
    route,
    throughput: spread(
      samples[route].map((s) => s.throughput),
      0,
    ),
    appCpuUsPerRequest: spread(
      samples[route].map((s) => s.appCpuUs),
      1,
    ),
    p50Us: spread(
      samples[route].map((s) => s.p50Us),
      0,
    ),
    p99Us: spread(
      samples[route].map((s) => s.p99Us),
      0,
    ),
  }));
  const ratios = PAIRS.map(([subject, baseline]) => ({
    subject,
    baseline,
    throughput: spread(
      samples[subject].map((s, i) => s.throughput / samples[baseline][i].throughput),
      3,
    ),
    appCpuPerRequest: spread(
      samples[subject].map((s, i) => s.appCpuUs / samples[baseline][i].appCpuUs),
      3,
    ),
  }));
  const ownWorkUsPerRequest = spread(
    samples.remembered.map((s, i) => s.appCpuUs - samples['pass-through'][i].appCpuUs),
    1,
  );
  return { connections, seconds, routes, ratios, ownWorkUsPerRequest };
}

module.exports = { benchGuard };
