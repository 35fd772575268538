import { Inject, Injectable, OnModuleInit, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { refuseProtectedMessageHandlers } from './message-handlers.check';
import { TWO_FACTOR_METADATA, VERIGATOR_TWO_FACTOR_OPTIONS } from '../verigator.constants';
import { TwoFactorGuard } from './two-factor.guard';
import { TwoFactorMetadata } from './two-factor-metadata';
import { ResolvedTwoFactorOptions } from './two-factor-options.interface';
import { stepGuardOf } from './two-factor-step';

/** A route where the second factor would be asked before another guard ran, and the fix. */
export interface UnsafeTwoFactorRoute {
  /** e.g. `POST /transfers (TransfersController.transfer)`. */
  route: string;
  /** What is wrong and how to fix it. */
  problem: string;
}

/**
 * The app was refused at startup: on some route the second factor would be asked before one of
 * the app's guards ran (so before the login guard found or refused the user), or a route that
 * `@RequireTwoFactor()` covers would not be checked. The message names each route and the fix.
 */
export class TwoFactorGuardOrderError extends Error {
  constructor(readonly routes: UnsafeTwoFactorRoute[]) {
    const list = routes.map(({ route, problem }) => `  - ${route}: ${problem}`);
    super(
      `The second-factor check would not run after every guard on:\n${list.join('\n')}\n` +
        '@RequireTwoFactor() on the route or its controller runs it after every guard, in any ' +
        'decorator order.',
    );
    this.name = 'TwoFactorGuardOrderError';
  }
}

/** One route as Nest will guard it. */
interface RouteGuards {
  name: string;
  /** Global, then class, then method guards: Nest's order. */
  guards: unknown[];
  /** The nearest `@RequireTwoFactor()` / `@SkipTwoFactor()`. */
  nearest?: TwoFactorMetadata;
}

/**
 * The safety net behind `@RequireTwoFactor()`, run once at startup over every route:
 * 1. A two-factor guard placed by hand (`@UseGuards()`, `APP_GUARD`) runs where Nest puts it, so
 *    on a route without `@RequireTwoFactor()` it must come after every other guard.
 * 2. `@RequireTwoFactor()`'s step must be the route's last guard, and present wherever the
 *    decorator applies (a class decorator reaches the methods its class has when declared).
 * 3. Every route that requires a second factor has a Verigator service id, unless its guard
 *    class overrides `getServiceId()` to resolve one per request.
 * 4. A route that asks for an opt-in feature (`recoveryCodes: true`, `trustedDevices: true`) has
 *    it: the module configures it, or the route would silently go without.
 * Sees `@UseGuards()` and `APP_GUARD` providers, not guards added with `app.useGlobalGuards()`.
 */
@Injectable()
export class TwoFactorRoutesCheck implements OnModuleInit {
  constructor(
    private readonly modules: ModulesContainer,
    @Inject(VERIGATOR_TWO_FACTOR_OPTIONS) private readonly options: ResolvedTwoFactorOptions,
  ) {}

  /**
   * @throws TwoFactorGuardOrderError naming every route where the order is unsafe.
   * @throws VerigatorConfigurationError naming every route without a service id, or every route
   *   that asks for a feature the module does not configure.
   * @throws Error naming WebSocket and microservice handlers under `@RequireTwoFactor()`.
   */
  onModuleInit(): void {
    refuseProtectedMessageHandlers(this.modules);
    const routes = findRoutes(this.modules);
    const unsafe = routes.flatMap((route) => {
      const problem = orderProblem(route);
      return problem ? [{ route: route.name, problem }] : [];
    });
    if (unsafe.length > 0) throw new TwoFactorGuardOrderError(unsafe);
    const withoutServiceId = routes.filter((route) => this.lacksServiceId(route));
    if (withoutServiceId.length > 0) {
      throw new VerigatorConfigurationError(
        'serviceId',
        'is needed by routes that require a second factor:\n' +
          withoutServiceId.map((route) => `  - ${route.name}\n`).join('') +
          'Set `serviceId` in the module options (or `twoFactor.serviceId`), or on the route ' +
          'with @RequireTwoFactor({ serviceId }), or override getServiceId() in a ' +
          'TwoFactorGuard subclass to resolve it per request.',
      );
    }
    for (const feature of OPT_IN_FEATURES) {
      if (this.options[feature] !== undefined) continue;
      const asking = routes.filter(
        ({ nearest }) => nearest?.skip === false && nearest.options[feature] === true,
      );
      if (asking.length === 0) continue;
      throw new VerigatorConfigurationError(
        `twoFactor.${feature}`,
        `is not set, so these routes would ignore their \`${feature}: true\`:\n` +
          asking.map((route) => `  - ${route.name}\n`).join('') +
          `Set \`twoFactor.${feature}\` in the module options (see docs/guard.md), or remove ` +
          `\`${feature}: true\` from the route (where the feature is set, routes take it by default).`,
      );
    }
  }

  private lacksServiceId({ guards, nearest }: RouteGuards): boolean {
    if (nearest?.skip || nearest?.options.serviceId || this.options.serviceId) return false;
    return guards.some((guard) => {
      // A step without metadata is on a method shared with a base class, and lets it pass.
      if (nearest === undefined && stepGuardOf(guard)) return false;
      const guardClass = twoFactorGuardClass(guard);
      return guardClass !== undefined && serviceIdReader(guardClass) === DEFAULT_SERVICE_ID_READER;
    });
  }
}

/** The route switches that need their module option (`twoFactor.recoveryCodes`, ...) to mean anything. */
const OPT_IN_FEATURES = ['recoveryCodes', 'trustedDevices'] as const;

/** `getServiceId` as a class has it: another one than the default resolves it per request. */
const serviceIdReader = (guardClass: Type): unknown =>
  (guardClass.prototype as Record<string, unknown>).getServiceId;
const DEFAULT_SERVICE_ID_READER = serviceIdReader(TwoFactorGuard);

function orderProblem({ guards, nearest }: RouteGuards): string | undefined {
  const isStep = (guard: unknown) => stepGuardOf(guard) !== undefined;
  const firstStep = guards.findIndex(isStep);
  if (firstStep !== -1) {
    const later = guards.slice(firstStep).find((guard) => !isStep(guard));
    if (later === undefined) return undefined;
    return (
      `${guardName(later)} runs after @RequireTwoFactor()'s check. Fix: put ` +
      `@RequireTwoFactor() above the decorators that add ${guardName(later)} on the method`
    );
  }
  if (nearest?.skip) return undefined;
  const first = guards.findIndex((guard) => twoFactorGuardClass(guard) !== undefined);
  if (first === -1) {
    if (nearest === undefined) return undefined;
    return (
      "@RequireTwoFactor() applies through the controller's class but the method has no " +
      'check (a class decorator reaches only the methods the class has when it is declared). ' +
      'Fix: put @RequireTwoFactor() on this controller or on the method'
    );
  }
  const later = guards.slice(first + 1).find((guard) => twoFactorGuardClass(guard) === undefined);
  if (later === undefined) return undefined;
  const guard = guardName(guards[first]);
  return (
    `${guard} runs before ${guardName(later)}. Fix: use @RequireTwoFactor() instead of ` +
    `@UseGuards(${guard}), or register ${guardName(later)} as a global guard before ${guard}, ` +
    'or mark the route @SkipTwoFactor()'
  );
}

/** Every HTTP route of the app, with its guards in the order Nest runs them. */
function findRoutes(modules: ModulesContainer): RouteGuards[] {
  const globalGuards = findGlobalGuards(modules);
  return listHttpRoutes(modules).map(({ controller, handler, name, nearest }) => ({
    name: describeRoute(controller, handler, name),
    guards: [
      ...globalGuards,
      ...readArray(GUARDS_METADATA, controller),
      ...readArray(GUARDS_METADATA, handler),
    ],
    nearest,
  }));
}

/** One HTTP route handler of the app's controllers. */
export interface HttpRoute {
  controller: Type;
  handler: object;
  /** The handler's method name. */
  name: string;
  /** The nearest `@RequireTwoFactor()` / `@SkipTwoFactor()` (method, else class). */
  nearest?: TwoFactorMetadata;
}

/** Every HTTP route handler of the app's controllers, once per controller class. */
export function listHttpRoutes(modules: ModulesContainer): HttpRoute[] {
  const scanner = new MetadataScanner();
  const routes: HttpRoute[] = [];
  const seen = new Set<Type>();
  for (const moduleRef of modules.values()) {
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, object>)[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const nearest = (Reflect.getMetadata(TWO_FACTOR_METADATA, handler) ??
          Reflect.getMetadata(TWO_FACTOR_METADATA, controller)) as TwoFactorMetadata | undefined;
        routes.push({ controller, handler, name, nearest });
      }
    }
  }
  return routes;
}

/** The `APP_GUARD` providers, each as its instance (static) or class (request-scoped). */
function findGlobalGuards(modules: ModulesContainer): unknown[] {
  const guards: unknown[] = [];
  for (const moduleRef of modules.values()) {
    for (const collection of [moduleRef.providers, moduleRef.injectables]) {
      for (const [token, wrapper] of collection) {
        if (typeof token !== 'string' || !token.startsWith(`${APP_GUARD} (`)) continue;
        guards.push(wrapper.isDependencyTreeStatic() ? wrapper.instance : wrapper.metatype);
      }
    }
  }
  return guards;
}

/** The `TwoFactorGuard` class (or subclass) a guard entry runs, if it is one. */
function twoFactorGuardClass(guard: unknown): typeof TwoFactorGuard | undefined {
  const type = typeof guard === 'function' ? guard : (guard as object | null)?.constructor;
  const guardClass = stepGuardOf(type) ?? type;
  return guardClass === TwoFactorGuard || guardClass?.prototype instanceof TwoFactorGuard
    ? (guardClass as typeof TwoFactorGuard)
    : undefined;
}

function guardName(guard: unknown): string {
  if (stepGuardOf(guard)) return '@RequireTwoFactor()';
  if (typeof guard === 'function') return guard.name || 'an anonymous guard';
  const name = (guard as object | null)?.constructor?.name;
  return name && name !== 'Object' ? name : 'a guard instance';
}

function readArray(key: string, target: object): unknown[] {
  const value: unknown = Reflect.getMetadata(key, target);
  return Array.isArray(value) ? value : [];
}

function describeRoute(controller: Type, handler: object, name: string): string {
  const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'ALL';
  const paths = [
    Reflect.getMetadata(PATH_METADATA, controller),
    Reflect.getMetadata(PATH_METADATA, handler),
  ].map((path: unknown) => (Array.isArray(path) ? String(path[0] ?? '') : String(path ?? '')));
  const path = `/${paths.join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return `${method} ${path} (${controller.name}.${name})`;
}
