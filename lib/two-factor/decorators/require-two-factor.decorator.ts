import { CanActivate, SetMetadata, Type, UseInterceptors, applyDecorators } from '@nestjs/common';
import { TWO_FACTOR_METADATA } from '../../verigator.constants';
import { checkTwoFactorRouteOptions } from '../resolve-two-factor-options';
import { TwoFactorGuard } from '../two-factor.guard';
import { TwoFactorRouteOptions } from '../two-factor-options.interface';
import { TwoFactorMetadata } from '../two-factor-metadata';
import { twoFactorStepFor } from '../two-factor-step';

/** Options of `@RequireTwoFactor()`. */
export interface RequireTwoFactorOptions extends TwoFactorRouteOptions {
  /**
   * The guard whose checks run, e.g. your subclass of `TwoFactorGuard`; Nest builds it (as an
   * interceptor extending it) with its own dependencies. @default TwoFactorGuard
   */
  guard?: Type<CanActivate>;
}

/**
 * Protects a route (on a method) or every route of a controller (on a class) with a fresh second
 * factor. Method options beat class options. The guard's checks run as an interceptor, which Nest
 * calls after every guard (global, class and method, in any decorator order), so your login guard
 * always runs first; interceptors that run before it (global ones, or listed before it) must not
 * answer on their own, as a cache would.
 * @throws VerigatorConfigurationError at declaration when an option is unusable.
 * @example
 * @RequireTwoFactor({ method: 'totp', maxAge: 5 * 60_000 })
 * @Post('transfer')
 * transfer() {}
 */
export function RequireTwoFactor(
  options: RequireTwoFactorOptions = {},
): MethodDecorator & ClassDecorator {
  const { guard = TwoFactorGuard, ...route } = options;
  const metadata: TwoFactorMetadata = {
    skip: false,
    options: checkTwoFactorRouteOptions(route, '@RequireTwoFactor()'),
  };
  return applyDecorators(
    SetMetadata(TWO_FACTOR_METADATA, metadata),
    UseInterceptors(twoFactorStepFor(guard)),
  );
}
