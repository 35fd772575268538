import { CanActivate, Type, mixin } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';

/** On a step class: the guard class whose checks it runs. */
const STEP_OF = Symbol('verigator.twoFactorStepOf');

const stepByGuard = new WeakMap<Type<CanActivate>, Type<CanActivate>>();

/**
 * The guard `@RequireTwoFactor()` puts last in a route's guards: a subclass of `guard` (so Nest
 * builds it with the guard's own dependencies), marked as the route's step. Nest runs a route's
 * guards global first, then the class's, then the method's, so the last of the method's guards
 * runs after every other one. One class per guard class.
 */
export function twoFactorStepFor(guard: Type<CanActivate>): Type<CanActivate> {
  const known = stepByGuard.get(guard);
  if (known) return known;
  class TwoFactorStep extends (guard as Type<CanActivate & object>) {
    static readonly [STEP_OF] = guard;
  }
  const step = mixin(TwoFactorStep);
  stepByGuard.set(guard, step);
  return step;
}

/** The guard class a step made by `twoFactorStepFor()` runs; `undefined` for anything else. */
export function stepGuardOf(value: unknown): Type<CanActivate> | undefined {
  return typeof value === 'function' && STEP_OF in value
    ? (value as unknown as { [STEP_OF]: Type<CanActivate> })[STEP_OF]
    : undefined;
}

/** True when `@RequireTwoFactor()` put a step among `handler`'s own guards. */
export function hasTwoFactorStep(handler: object): boolean {
  return guardsOf(handler).some((guard) => stepGuardOf(guard) !== undefined);
}

/**
 * Runs a two-factor guard's checks (`decide`) in their turn: a guard placed by hand on a route
 * that `@RequireTwoFactor()` guards leaves them to the route's step, which runs the guards
 * `deferred` to it first, in order, then its own; elsewhere a guard decides at once.
 */
export function decideInTurn<Guard extends object>(
  guard: Guard,
  handler: object,
  deferred: Guard[],
  decide: (guard: Guard) => Promise<boolean>,
): Promise<boolean> {
  if (stepGuardOf(guard.constructor) === undefined) {
    if (!hasTwoFactorStep(handler)) return decide(guard);
    deferred.push(guard);
    return Promise.resolve(true);
  }
  // Without guards deferred to it (the usual case), no extra async step on every request.
  return deferred.length === 0 ? decide(guard) : decideDeferredFirst(guard, deferred, decide);
}

async function decideDeferredFirst<Guard extends object>(
  guard: Guard,
  deferred: Guard[],
  decide: (guard: Guard) => Promise<boolean>,
): Promise<boolean> {
  for (const earlier of deferred.splice(0)) {
    if (!(await decide(earlier))) return false;
  }
  return decide(guard);
}

/** Adds `step` to `handler`'s guards (once), after every guard that is not a step. */
export function placeStep(handler: object, step: Type<CanActivate>): void {
  const guards = guardsOf(handler);
  if (!guards.includes(step)) guards.push(step);
  writeStepsLast(handler, guards);
}

/**
 * Keeps the steps last on a method while the decorators above `@RequireTwoFactor()` add their
 * guards after it. Each of them reads `descriptor.value` before adding, and once they are all
 * applied the compiler reads it to define the method; reading it moves the steps last again.
 */
export function keepStepsLast(descriptor: PropertyDescriptor): void {
  let handler: unknown = descriptor.value;
  Object.defineProperty(descriptor, 'value', {
    configurable: true,
    enumerable: true,
    get() {
      if (typeof handler === 'function') writeStepsLast(handler, guardsOf(handler));
      return handler;
    },
    set(value: unknown) {
      handler = value;
    },
  });
}

/** Stores `guards` on `handler` with the steps moved last, each group in its own order. */
function writeStepsLast(handler: object, guards: unknown[]): void {
  const isStep = (guard: unknown) => stepGuardOf(guard) !== undefined;
  const ordered = [...guards.filter((guard) => !isStep(guard)), ...guards.filter(isStep)];
  if (ordered.length > 0) Reflect.defineMetadata(GUARDS_METADATA, ordered, handler);
}

function guardsOf(handler: object): unknown[] {
  const guards: unknown = Reflect.getOwnMetadata(GUARDS_METADATA, handler);
  return Array.isArray(guards) ? [...guards] : [];
}
