/**
 * The guard's own work, without HTTP around it: CPU time per `canActivate` as Nest calls it
 * (`GuardsConsumer.tryActivate`, the same execution mode as in the app), in this process.
 * - remembered: `@RequireTwoFactor({ maxAge })` passing on a remembered success, vs a
 *   pass-through async guard;
 * - verifying: `@RequireTwoFactor()` verifying a token, vs an async guard that calls `verify`
 *   itself; `verify` answers at once (a stub), so only the guard's own work differs.
 * Rounds alternate subject and baseline; each figure is per round, summarised over the rounds.
 * A few µs drown in the noise of the HTTP figures on a shared machine; CPU time in one process,
 * in short alternating rounds, resolves them.
 *
 * And the verifying path as the app runs it, without the HTTP server: the module's real
 * `AuthService` calling the simulator, 16 requests at once, `@RequireTwoFactor()` vs an async
 * guard calling `AuthService.verify` itself (the same Verigator call, the same request), and
 * its floor (the same step reading the user and the token, then verifying: nothing else). Many
 * short rounds, each running every contender twice in mirrored order, give ratios of CPU per call
 * and of calls per second with far less noise than three processes under autocannon.
 */
require('reflect-metadata');
const { Reflector } = require('@nestjs/core');
const { GuardsConsumer } = require('@nestjs/core/guards/guards-consumer');
const { GUARDS_METADATA } = require('@nestjs/common/constants');
const { performance } = require('node:perf_hooks');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const {
  AuthService,
  InMemoryTwoFactorStore,
  RequireTwoFactor,
  VerigatorModule,
} = require('../dist');
const { resolveTwoFactorOptions } = require('../dist/options/two-factor-options');
const { VerigatorEventPublisher } = require('../dist/events/verigator-event-publisher');
const { spread } = require('./lib/stats.cjs');
const { UPSTREAM } = require('./lib/upstream.cjs');

const { userId: USER, token: TOKEN, serviceId: SERVICE } = UPSTREAM;

class Routes {
  remembered() {}
  verifying() {}
  baseline() {}
}
for (const [name, options] of [
  ['remembered', { maxAge: 3_600_000 }],
  ['verifying', {}],
]) {
  const descriptor = Object.getOwnPropertyDescriptor(Routes.prototype, name);
  Reflect.decorate([RequireTwoFactor(options)], Routes.prototype, name, descriptor);
  Object.defineProperty(Routes.prototype, name, descriptor);
}

/** The step `@RequireTwoFactor()` placed on `name`, built as Nest would, on a stub AuthService. */
function stepOf(name, auth, store) {
  const [Step] = Reflect.getMetadata(GUARDS_METADATA, Routes.prototype[name]);
  const options = resolveTwoFactorOptions({
    serviceId: UPSTREAM.serviceId,
    twoFactor: { userId: (req) => req.headers['x-user'], maxAttempts: 1e9 },
  });
  const guard = new Step(new Reflector(), auth, store, options);
  guard.events = new VerigatorEventPublisher({});
  return guard;
}

/** Runs `calls` requests through `guards`, `concurrency` at once. */
async function run(consumer, guards, handler, calls, concurrency = 1) {
  const instance = new Routes();
  const response = { header() {} };
  let left = calls;
  const loop = async () => {
    while (left-- > 0) {
      const request = { headers: { 'x-user': USER, 'x-verigator-token': TOKEN } };
      const args = [request, response, () => {}];
      if (!(await consumer.tryActivate(guards, args, instance, handler, 'http'))) {
        throw new Error('refused');
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** ns per call of `subject` minus `baseline`, per round, and each one's own figures. */
async function pair(consumer, subject, baseline, { rounds, calls }) {
  const perCall = async ([guards, handler]) => {
    const started = cpuNow();
    await run(consumer, guards, handler, calls);
    return ((cpuNow() - started) * 1000) / calls;
  };
  await perCall(subject); // warm-up
  await perCall(baseline);
  const s = [];
  const b = [];
  for (let round = 0; round < rounds; round++) {
    s.push(await perCall(subject));
    b.push(await perCall(baseline));
  }
  return {
    subjectNs: spread(s, 0),
    baselineNs: spread(b, 0),
    ownWorkUs: spread(
      s.map((x, i) => (x - b[i]) / 1000),
      2,
    ),
  };
}

/** An async guard that verifies the token with `auth` itself, as a hand-written route would. */
const verifiesItselfWith = (auth) => ({
  canActivate: async (context) => {
    const { headers } = context.getArgByIndex(0);
    const result = await auth.verify(SERVICE, headers['x-user'], headers['x-verigator-token']);
    return result.verified;
  },
});

/**
 * The floor of `@RequireTwoFactor()`'s verifying path: its step as Nest calls it, reading the user
 * and the token with its own readers, then verifying; no limits, no store, no cleanup.
 */
function floorOf(auth) {
  const guard = stepOf('verifying', auth, new InMemoryTwoFactorStore());
  guard.check = async function check(context) {
    const userId = await this.getUserId(context);
    const token = await this.getToken(context);
    return (await this.authService.verify(SERVICE, userId, token)).verified;
  };
  return guard;
}

/**
 * The verifying path against the simulator at `upstreamUrl`: per round, CPU per call and calls
 * per second of `@RequireTwoFactor()` and of its floor, each ÷ the guard calling
 * `AuthService.verify` itself, and `@RequireTwoFactor()` ÷ its floor (what its checks cost).
 */
async function againstUpstream(consumer, upstreamUrl, { rounds, calls, concurrency }) {
  class UpstreamModule {}
  const verigator = VerigatorModule.forRoot({
    username: UPSTREAM.username,
    password: UPSTREAM.password,
    endpoint: upstreamUrl,
  });
  Reflect.decorate([Module({ imports: [verigator] })], UpstreamModule);
  const app = await NestFactory.createApplicationContext(UpstreamModule, { logger: ['error'] });
  try {
    const auth = app.get(AuthService);
    const contenders = {
      subject: [
        [stepOf('verifying', auth, new InMemoryTwoFactorStore())],
        Routes.prototype.verifying,
      ],
      floor: [[floorOf(auth)], Routes.prototype.verifying],
      baseline: [[verifiesItselfWith(auth)], Routes.prototype.baseline],
    };
    const names = Object.keys(contenders);
    const measure = async (name) => {
      const cpu = cpuNow();
      const started = performance.now();
      await run(consumer, ...contenders[name], calls / 2, concurrency);
      return { cpuUs: cpuNow() - cpu, ms: performance.now() - started };
    };
    for (const name of names) await measure(name); // warm-up
    const pairs = { subject: 'baseline', floor: 'baseline', checks: ['subject', 'floor'] };
    const cpu = { subject: [], floor: [], checks: [] };
    const throughput = { subject: [], floor: [], checks: [] };
    for (let round = 0; round < rounds; round++) {
      // Each twice, in mirrored order (A B C C B A), the order rotated every round.
      const order = [...names.slice(round % 3), ...names.slice(0, round % 3)];
      const runs = { subject: [], floor: [], baseline: [] };
      for (const name of [...order, ...[...order].reverse()]) runs[name].push(await measure(name));
      const sum = (name, key) => runs[name][0][key] + runs[name][1][key];
      // Each ran `calls` calls this round: the ratios of their totals are per call.
      for (const [ratio, of] of Object.entries(pairs)) {
        const [subject, baseline] = Array.isArray(of) ? of : [ratio, of];
        cpu[ratio].push(sum(subject, 'cpuUs') / sum(baseline, 'cpuUs'));
        throughput[ratio].push(sum(baseline, 'ms') / sum(subject, 'ms'));
      }
    }
    const summary = (ratio) => ({
      cpuRatio: spread(cpu[ratio], 3),
      throughputRatio: spread(throughput[ratio], 3),
    });
    return {
      concurrency,
      callsPerRound: calls,
      ...summary('subject'),
      floor: summary('floor'),
      checks: summary('checks'),
    };
  } finally {
    await app.close();
  }
}

/**
 * Resolves to `{ remembered, verifying, verifyingUpstream }`: the first two
 * `{ subjectNs, baselineNs, ownWorkUs }`, the last `{ cpuRatio, throughputRatio, ... }`.
 */
async function benchGuardInProcess({
  rounds,
  calls,
  upstreamUrl,
  upstreamRounds,
  upstreamCalls,
  log,
}) {
  const consumer = new GuardsConsumer();
  const auth = { verify: async () => ({ verified: true }) };
  const store = new InMemoryTwoFactorStore();
  const remembered = stepOf('remembered', auth, store);
  await store.set(
    remembered.generateKey('success', SERVICE, USER, 'sms', ''),
    String(Date.now()),
    3_600_000,
  );
  const passThrough = { canActivate: async () => true };
  const verifiesItself = verifiesItselfWith(auth);
  const { prototype } = Routes;
  const result = {
    remembered: await pair(
      consumer,
      [[remembered], prototype.remembered],
      [[passThrough], prototype.baseline],
      { rounds, calls },
    ),
    verifying: await pair(
      consumer,
      [[stepOf('verifying', auth, store)], prototype.verifying],
      [[verifiesItself], prototype.baseline],
      { rounds, calls },
    ),
    verifyingUpstream: await againstUpstream(consumer, upstreamUrl, {
      rounds: upstreamRounds,
      calls: upstreamCalls,
      concurrency: 16,
    }),
  };
  log('  guard in-process done');
  return result;
}

module.exports = { benchGuardInProcess };
