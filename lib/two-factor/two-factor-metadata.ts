import { TwoFactorRouteOptions } from './two-factor-options.interface';

/** What `@RequireTwoFactor()` and `@SkipTwoFactor()` store under `TWO_FACTOR_METADATA`. */
export type TwoFactorMetadata = { skip: true } | { skip: false; options: TwoFactorRouteOptions };
