import { Injectable, OnModuleInit, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { TWO_FACTOR_METADATA } from '../verigator.constants';
import { TwoFactorGuard } from './two-factor.guard';
import { TwoFactorMetadata } from './two-factor-metadata';
import { hasTwoFactorStep } from './two-factor-step';

/** A route where `TwoFactorGuard` would run before another guard. */
export interface UnsafeTwoFactorRoute {
  /** e.g. `POST /transfers (TransfersController.transfer)`. */
  route: string;
  /** The name of the guard that would run after `TwoFactorGuard`. */
  laterGuard: string;
}

/**
 * The app was refused at startup: on some route `TwoFactorGuard` (as `@UseGuards()` or
 * `APP_GUARD`) would run before another guard, so it would ask for a second factor before the
 * login guard has found (or refused) the user. The message names each route and the fix.
 */
export class TwoFactorGuardOrderError extends Error {
  constructor(readonly routes: UnsafeTwoFactorRoute[]) {
    const list = routes.map(({ route, laterGuard }) => `  - ${route}: before ${laterGuard}`);
    super(
      `TwoFactorGuard would run before another guard on:\n${list.join('\n')}\n` +
        'Use @RequireTwoFactor() on the route or its controller instead of ' +
        '@UseGuards(TwoFactorGuard): its check runs after every guard, in any decorator order. ' +
        'Or list TwoFactorGuard after that guard (a global login guard registered first), ' +
        'or mark the route @SkipTwoFactor().',
    );
    this.name = 'TwoFactorGuardOrderError';
  }
}

/**
 * Refuses to start an app where `TwoFactorGuard` would run before one of the app's guards.
 * Sees `@UseGuards()` on classes and methods and `APP_GUARD` providers (in registration order),
 * not guards added with `app.useGlobalGuards()`.
 */
@Injectable()
export class TwoFactorGuardOrderCheck implements OnModuleInit {
  constructor(private readonly modules: ModulesContainer) {}

  /** @throws TwoFactorGuardOrderError naming every unsafe route. */
  onModuleInit(): void {
    const unsafe = findUnsafeTwoFactorRoutes(this.modules);
    if (unsafe.length > 0) throw new TwoFactorGuardOrderError(unsafe);
  }
}

/** Every route where a `TwoFactorGuard` runs as a guard before another guard. */
export function findUnsafeTwoFactorRoutes(modules: ModulesContainer): UnsafeTwoFactorRoute[] {
  const globalGuards = findGlobalGuards(modules);
  const scanner = new MetadataScanner();
  const unsafe: UnsafeTwoFactorRoute[] = [];
  const seen = new Set<Type>();
  for (const moduleRef of modules.values()) {
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const guards = [
          ...globalGuards,
          ...readArray(GUARDS_METADATA, controller),
          ...readArray(GUARDS_METADATA, handler),
        ];
        const laterGuard = guardAfterTwoFactor(guards);
        if (laterGuard === undefined || isExempt(controller, handler)) continue;
        unsafe.push({ route: describeRoute(controller, handler, name), laterGuard });
      }
    }
  }
  return unsafe;
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

/** The name of the first guard that is not a `TwoFactorGuard` after the first one that is. */
function guardAfterTwoFactor(guards: unknown[]): string | undefined {
  const first = guards.findIndex(isTwoFactorGuard);
  if (first === -1) return undefined;
  const later = guards.slice(first + 1).find((guard) => !isTwoFactorGuard(guard));
  return later === undefined ? undefined : guardName(later);
}

/** Skipped routes pass the guard; `@RequireTwoFactor()` routes make it step aside. */
function isExempt(controller: Type, handler: object): boolean {
  const nearest = (Reflect.getMetadata(TWO_FACTOR_METADATA, handler) ??
    Reflect.getMetadata(TWO_FACTOR_METADATA, controller)) as TwoFactorMetadata | undefined;
  return nearest?.skip === true || hasTwoFactorStep(handler, controller);
}

function isTwoFactorGuard(guard: unknown): boolean {
  if (typeof guard === 'function') {
    return guard === TwoFactorGuard || guard.prototype instanceof TwoFactorGuard;
  }
  return guard instanceof TwoFactorGuard;
}

function guardName(guard: unknown): string {
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
