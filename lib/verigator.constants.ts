/** Path prefix of every Verigator API resource. */
export const VERIGATOR_API_BASE_PATH = '/v1/service/service';

/** Injection token of the options exactly as given to `forRoot`/`forRootAsync`. */
export const VERIGATOR_MODULE_OPTIONS = 'VERIGATOR:MODULE_OPTIONS';

/** Injection token of the validated module options, defaults applied. */
export const VERIGATOR_OPTIONS = 'VERIGATOR:OPTIONS';

/**
 * Injection token of the module's own HttpService (isolated from the host app's): override it to
 * send Verigator calls through an HttpService of yours. Give it what the module's own has:
 * `validateStatus: () => true`, `responseType: 'text'` with an identity `transformResponse`, no
 * redirects, and the `X-Service-Auth` header; the client adds the URL, the deadline (`signal`)
 * and maps every failure itself.
 * @example
 * Test.createTestingModule({ imports: [VerigatorModule.forRoot(options)] })
 *   .overrideProvider(VERIGATOR_HTTP_SERVICE)
 *   .useValue(new HttpService(myAxiosInstance));
 */
export const VERIGATOR_HTTP_SERVICE = 'VERIGATOR:HTTP_SERVICE';

/** Injection token of the validated two-factor options (`ResolvedTwoFactorOptions`). */
export const VERIGATOR_TWO_FACTOR_OPTIONS = 'VERIGATOR:TWO_FACTOR_OPTIONS';

/** Metadata key of `@RequireTwoFactor()` and `@SkipTwoFactor()` (one key: the nearest one wins). */
export const TWO_FACTOR_METADATA = 'VERIGATOR:TWO_FACTOR';

/** Header the guard reads the code from by default (lowercased, as Node delivers headers). */
export const DEFAULT_TWO_FACTOR_TOKEN_HEADER = 'x-verigator-token';

/** Header the guard reads a recovery code from (lowercased, as Node delivers headers). */
export const RECOVERY_CODE_HEADER = 'x-verigator-recovery-code';
