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
 */
require('reflect-metadata');
const { Reflector } = require('@nestjs/core');
const { GuardsConsumer } = require('@nestjs/core/guards/guards-consumer');
const { GUARDS_METADATA } = require('@nestjs/common/constants');
const { InMemoryTwoFactorStore, RequireTwoFactor } = require('../dist');
const { resolveTwoFactorOptions } = require('../dist/options/two-factor-options');
const { VerigatorEventPublisher } = require('../dist/events/verigator-event-publisher');
const { spread } = require('./lib/stats.cjs');

const USER = 'bench-user';
const TOKEN = '424242';

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
    serviceId: 'bench-service',
    twoFactor: { userId: (req) => req.headers['x-user'], maxAttempts: 1e9 },
  });
  const guard = new Step(new Reflector(), auth, store, options);
  guard.events = new VerigatorEventPublisher({});
  return guard;
}

async function run(consumer, guards, handler, calls) {
  const instance = new Routes();
  const response = { header() {} };
  for (let i = 0; i < calls; i++) {
    const request = { headers: { 'x-user': USER, 'x-verigator-token': TOKEN } };
    const args = [request, response, () => {}];
    if (!(await consumer.tryActivate(guards, args, instance, handler, 'http'))) {
      throw new Error('refused');
    }
  }
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

/** Resolves to `{ remembered, verifying }`, each `{ subjectNs, baselineNs, ownWorkUs }`. */
async function benchGuardInProcess({ rounds, calls, log }) {
  const consumer = new GuardsConsumer();
  const auth = { verify: async () => ({ verified: true }) };
  const store = new InMemoryTwoFactorStore();
  const remembered = stepOf('remembered', auth, store);
  await store.set(
    remembered.generateKey('success', 'bench-service', USER, 'sms', ''),
    String(Date.now()),
    3_600_000,
  );
  const passThrough = { canActivate: async () => true };
  const verifiesItself = {
    canActivate: async (context) => {
      const { headers } = context.getArgByIndex(0);
      const result = await auth.verify(
        'bench-service',
        headers['x-user'],
        headers['x-verigator-token'],
      );
      return result.verified;
    },
  };
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
  };
  log('  guard in-process done');
  return result;
}

module.exports = { benchGuardInProcess };
