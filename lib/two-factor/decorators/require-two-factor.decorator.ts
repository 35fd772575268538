import { CanActivate, Type } from '@nestjs/common';
import { MetadataScanner } from '@nestjs/core';
import { TWO_FACTOR_METADATA } from '../../verigator.constants';
import { checkRequireTwoFactorOptions } from '../two-factor-route-options';
import { TwoFactorGuard } from '../two-factor.guard';
import { TwoFactorRouteOptions } from '../two-factor-options.interface';
import { TwoFactorMetadata } from '../two-factor-metadata';
import { documentTwoFactorRoute } from './two-factor-openapi';
import { keepStepsLast, placeStep, twoFactorStepFor } from '../two-factor-step';

/** Options of `@RequireTwoFactor()`. */
export interface RequireTwoFactorOptions extends TwoFactorRouteOptions {
  /**
   * The guard whose checks run, e.g. your subclass of `TwoFactorGuard`; Nest builds it with its
   * own dependencies. @default TwoFactorGuard
   */
  guard?: Type<CanActivate>;
}

/**
 * Protects a route (on a method) or every route of a controller (on a class) with a fresh second
 * factor. Method options beat class options. The guard's checks run as the route's last guard,
 * after every global, class and method guard whatever the decorator order, so your login guard
 * always runs first, and before any interceptor, pipe or handler. For `@nestjs/swagger`, the
 * route documents the `X-Verigator-Token` header and the guard's answers (401, 429, 502, 503,
 * 504, ...) with their `code` values, and the trusted-device and recovery-code parameters where
 * the route takes them.
 * @throws VerigatorConfigurationError at declaration when an option is unusable.
 * @example
 * @RequireTwoFactor({ method: AuthMethod.TOTP, maxAge: 5 * 60_000 })
 * @Post('transfer')
 * transfer() {}
 */
export function RequireTwoFactor(
  options: RequireTwoFactorOptions = {},
): MethodDecorator & ClassDecorator {
  const { guard = TwoFactorGuard, ...route } = options;
  const metadata: TwoFactorMetadata = {
    skip: false,
    options: checkRequireTwoFactorOptions(route, '@RequireTwoFactor()'),
  };
  const step = twoFactorStepFor(guard);
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    documentTwoFactorRoute(target, descriptor);
    if (descriptor) {
      Reflect.defineMetadata(TWO_FACTOR_METADATA, metadata, descriptor.value as object);
      placeStep(descriptor.value as object, step);
      keepStepsLast(descriptor);
      return;
    }
    // A class decorator runs after every method decorator of its class: the steps land last.
    Reflect.defineMetadata(TWO_FACTOR_METADATA, metadata, target);
    const prototype = (target as Type).prototype as Record<string, object>;
    for (const name of new MetadataScanner().getAllMethodNames(prototype)) {
      placeStep(prototype[name], step);
    }
  };
}
