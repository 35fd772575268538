import {
  CallHandler,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  NestInterceptor,
  Type,
  mixin,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { Observable, lastValueFrom } from 'rxjs';

/** Marks the interceptor classes made by `twoFactorStepFor()`. */
const TWO_FACTOR_STEP = Symbol('verigator.twoFactorStep');

const stepByGuard = new WeakMap<Type<CanActivate>, Type<NestInterceptor>>();

/**
 * The interceptor `@RequireTwoFactor()` attaches: it runs `guard`'s checks as an interceptor,
 * which Nest calls only after every guard (global, class, method) has passed, so the app's own
 * login guard always runs first whatever the decorator order. It extends `guard`, so Nest builds
 * it with the guard's own dependencies. One class per guard class.
 */
export function twoFactorStepFor(guard: Type<CanActivate>): Type<NestInterceptor> {
  const known = stepByGuard.get(guard);
  if (known) return known;
  class TwoFactorStep extends (guard as Type<CanActivate & object>) implements NestInterceptor {
    static readonly [TWO_FACTOR_STEP] = true;

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const verdict = this.canActivate(context);
      const allowed = verdict instanceof Observable ? await lastValueFrom(verdict) : await verdict;
      if (!allowed) throw new ForbiddenException();
      return next.handle();
    }
  }
  const step = mixin(TwoFactorStep);
  stepByGuard.set(guard, step);
  return step;
}

/** True for an interceptor class made by `twoFactorStepFor()`. */
export function isTwoFactorStep(interceptor: unknown): boolean {
  return typeof interceptor === 'function' && TWO_FACTOR_STEP in interceptor;
}

/** True when `@RequireTwoFactor()` put its step on one of `targets` (a handler, its controller). */
export function hasTwoFactorStep(...targets: object[]): boolean {
  return targets.some((target) => {
    const interceptors: unknown = Reflect.getMetadata(INTERCEPTORS_METADATA, target);
    return Array.isArray(interceptors) && interceptors.some(isTwoFactorStep);
  });
}
