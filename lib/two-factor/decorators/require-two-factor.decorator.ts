import { CanActivate, SetMetadata, Type, UseGuards, applyDecorators } from '@nestjs/common';
import { TWO_FACTOR_METADATA } from '../../verigator.constants';
import { checkTwoFactorRouteOptions } from '../resolve-two-factor-options';
import { TwoFactorGuard } from '../two-factor.guard';
import { TwoFactorRouteOptions } from '../two-factor-options.interface';
import { TwoFactorMetadata } from '../two-factor-metadata';

/** Options of `@RequireTwoFactor()`. */
export interface RequireTwoFactorOptions extends TwoFactorRouteOptions {
  /** The guard to attach, e.g. your subclass of `TwoFactorGuard`. @default TwoFactorGuard */
  guard?: Type<CanActivate>;
}

/**
 * Protects a route (on a method) or every route of a controller (on a class) with a fresh second
 * factor: attaches `TwoFactorGuard` and its route options. Method options beat class options.
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
  return applyDecorators(SetMetadata(TWO_FACTOR_METADATA, metadata), UseGuards(guard));
}
