import { VerigatorErrorCode } from '../filters/verigator-error-messages';
import { TwoFactorModuleOptions } from '../two-factor/two-factor-options.interface';

/** Options of `VerigatorModule.forRoot()` and of the factory given to `forRootAsync()`. */
export interface VerigatorModuleOptions {
  /** Messente API username. */
  username: string;
  /** Messente API password. Never logged nor included in errors. */
  password: string;
  /**
   * Base URL of the Verigator API (http or https), without the `/v1/...` path.
   * @default 'https://api.verigator.com'
   */
  endpoint?: string;
  /**
   * Milliseconds a call may take before it fails with `RequestTimeoutError`. A numeric string
   * (`'5000'`, as `ConfigService` reads it from the environment) is accepted.
   * @default 5000
   */
  timeout?: number | string;
  /** The Verigator service id used when a route does not name one (by the guard). */
  serviceId?: string;
  /**
   * How `TwoFactorGuard` finds users and tokens and limits sending and guessing.
   * @default cooldown 60 s, maxAttempts 5 per 15 min window, maxAge 0, failOpen false, in-memory store
   */
  twoFactor?: TwoFactorModuleOptions;
  /**
   * Replaces some of the messages end users read for a `VerigatorError`, by its `code`
   * (through `VerigatorExceptionFilter` and `TwoFactorGuard`).
   * @default VERIGATOR_ERROR_MESSAGES
   */
  errorMessages?: Partial<Record<VerigatorErrorCode, string>>;
}

/** Module options after validation, with every default applied. */
export interface ResolvedVerigatorOptions extends VerigatorModuleOptions {
  endpoint: string;
  timeout: number;
  /** Every end-user message by code: the defaults with `errorMessages` applied. */
  errorMessages: Readonly<Record<VerigatorErrorCode, string>>;
}
