/** Path prefix of every Verigator API resource. */
export const VERIGATOR_API_BASE_PATH = '/v1/service/service';

/** Injection token of the options exactly as given to `forRoot`/`forRootAsync`. */
export const VERIGATOR_MODULE_OPTIONS = 'VERIGATOR:MODULE_OPTIONS';

/** Injection token of the validated module options, defaults applied. */
export const VERIGATOR_OPTIONS = 'VERIGATOR:OPTIONS';

/** Injection token of the module's own HttpService, isolated from the host app's. */
export const VERIGATOR_HTTP_SERVICE = 'VERIGATOR:HTTP_SERVICE';

/** Injection token of the validated two-factor options (`ResolvedTwoFactorOptions`). */
export const VERIGATOR_TWO_FACTOR_OPTIONS = 'VERIGATOR:TWO_FACTOR_OPTIONS';

/** Metadata key of `@RequireTwoFactor()` and `@SkipTwoFactor()` (one key: the nearest one wins). */
export const TWO_FACTOR_METADATA = 'VERIGATOR:TWO_FACTOR';

/** Header the guard reads the code from by default (lowercased, as Node delivers headers). */
export const DEFAULT_TWO_FACTOR_TOKEN_HEADER = 'x-verigator-token';
