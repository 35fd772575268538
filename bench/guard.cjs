/**
 * The guard's cost, driven by autocannon against one app in its own process: a route under
 * `@RequireTwoFactor()` verifying a token vs the same route calling `verify` in its handler, the
 * remembered (`maxAge`) path vs an unguarded route, and our own work on it: its CPU per request
 * minus a pass-through guard's.
 *
 * Every round runs each route twice, in a mirrored order (A B C D E E D C B A, rotated every
 * round), so that every route's runs share the same midpoint in time: a drift of the machine's
 * load over a round weighs on all routes alike. Ratios and differences are taken per round, then
 * summarised with their quartiles (the noise) over the rounds.
 */
const { fork } = require('node:child_process');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { UPSTREAM } = require('./lib/upstream.cjs');
const { spread } = require('./lib/stats.cjs');

const ROUTES = ['guarded', 'handler-verify', 'remembered', 'unguarded', 'pass-through'];
/** The targets (report.cjs reads them in this order), then the breakdown. */
const PAIRS = [
  ['guarded', 'handler-verify'],
  ['remembered', 'unguarded'],
  ['remembered', 'pass-through'],
  ['pass-through', 'unguarded'],
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
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return {
    requests: result.requests.total,
    seconds: result.duration,
    cpuUs: cpu1 - cpu0,
    p50Us: result.latency.p50 * 1000,
    p99Us: result.latency.p99 * 1000,
  };
}

/** One route's figures in a round, from its two runs. */
function combine([a, b]) {
  const requests = a.requests + b.requests;
  return {
    throughput: requests / (a.seconds + b.seconds),
    appCpuUs: (a.cpuUs + b.cpuUs) / requests,
    p50Us: (a.p50Us + b.p50Us) / 2,
    p99Us: (a.p99Us + b.p99Us) / 2,
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
    const runs = Object.fromEntries(ROUTES.map((r) => [r, []]));
    for (const route of [...order, ...[...order].reverse()]) {
      runs[route].push(await load(child, base + route, seconds, connections));
    }
    for (const route of ROUTES) samples[route].push(combine(runs[route]));
    log(`  guard round ${round + 1}/${rounds} done`);
  }
  child.removeAllListeners('exit');
  child.disconnect();
  const over = (route, pick, digits) => spread(samples[route].map(pick), digits);
  const routes = ROUTES.map((route) => ({
    route,
    throughput: over(route, (s) => s.throughput, 0),
    appCpuUsPerRequest: over(route, (s) => s.appCpuUs, 1),
    p50Us: over(route, (s) => s.p50Us, 0),
    p99Us: over(route, (s) => s.p99Us, 0),
  }));
  const perRound = (subject, baseline, f, digits) =>
    spread(
      samples[subject].map((s, i) => f(s, samples[baseline][i])),
      digits,
    );
  const ratios = PAIRS.map(([subject, baseline]) => ({
    subject,
    baseline,
    throughput: perRound(subject, baseline, (s, b) => s.throughput / b.throughput, 3),
    appCpuPerRequest: perRound(subject, baseline, (s, b) => s.appCpuUs / b.appCpuUs, 3),
  }));
  const ownWorkUsPerRequest = perRound(
    'remembered',
    'pass-through',
    (s, b) => s.appCpuUs - b.appCpuUs,
    1,
  );
  return { connections, seconds, routes, ratios, ownWorkUsPerRequest };
}

module.exports = { benchGuard };
