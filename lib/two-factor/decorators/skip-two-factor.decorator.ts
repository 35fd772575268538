import { SetMetadata } from '@nestjs/common';
import { TWO_FACTOR_METADATA } from '../../verigator.constants';
import { TwoFactorMetadata } from '../two-factor-metadata';

/**
 * Exempts a route (on a method) or a controller (on a class) from `TwoFactorGuard`, typically
 * when the guard is global (`APP_GUARD`). A method's `@RequireTwoFactor()` beats its class's
 * `@SkipTwoFactor()`, and the other way round.
 */
export function SkipTwoFactor(): MethodDecorator & ClassDecorator {
  const metadata: TwoFactorMetadata = { skip: true };
  return SetMetadata(TWO_FACTOR_METADATA, metadata);
}
