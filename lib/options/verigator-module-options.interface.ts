import type { VerigatorEventListener } from '../events/verigator-event';
import type { VerigatorErrorCode } from '../filters/verigator-error-response';
import type { VerigatorTransportSettings } from '../http/verigator-http-client';
import type { ResolvedSmsOptions, VerigatorSmsOptions } from './sms-options';
import type { TwoFactorModuleOptions } from '../two-factor/two-factor-options.interface';

/** Settings of the circuit breaker each endpoint has. */
export interface VerigatorCircuitBreakerOptions {
  /**
   * Consecutive failures (no connection, no answer in time, 5xx) that open an endpoint's circuit.
   * @default 5
   */
  threshold?: number;
  /**
   * Milliseconds an open circuit fails fast before it lets one trial call through.
   * @default 30000
   */
  halfOpenAfter?: number;
}

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
   * Milliseconds a call may take before it fails with `RequestTimeoutError`. Bounds the whole
   * call: retries, their back-off waits and failover included. A numeric string (`'5000'`, as
   * `ConfigService` reads it from the environment) is accepted.
   * @default 5000
   */
  timeout?: number | string;
  /**
   * Endpoints tried in order when the one before cannot be reached (same safety rules as
   * retries); validated like `endpoint`.
   * @default []
   */
  fallbackEndpoints?: string[];
  /**
   * How many times a call may be retried, only when that is safe: reads and deletes on a
   * connection failure, 429, 502, 503 or 504; anything else only when it provably never
   * reached Verigator. 0 disables retries.
   * @default 2
   */
  retries?: number;
  /**
   * The per-endpoint circuit breaker; `false` disables it.
   * @default { threshold: 5, halfOpenAfter: 30000 }
   */
  circuitBreaker?: VerigatorCircuitBreakerOptions | false;
  /** The Verigator service id used when a route does not name one (by the guard). */
  serviceId?: string;
  /**
   * How `TwoFactorGuard` finds users and tokens and limits sending and guessing.
   * @default cooldown 60 s, maxAttempts 5 per 15 min window, maxAge 0, failOpen false, in-memory store
   */
  twoFactor?: TwoFactorModuleOptions;
  /**
   * Defences against SMS pumping (toll fraud): a country allow-list, an app-wide SMS budget and
   * per-prefix budgets, shared by every instance through the `TwoFactorStore`.
   * @default off
   */
  sms?: VerigatorSmsOptions;
  /**
   * Receives the audit trail, one `VerigatorEvent` at a time (narrow it by `type`): every guard
   * decision, every Verigator call, every retry, failover or breaker change, and the SMS defences'.
   * The same events go to the `node:diagnostics_channel` channels in `VERIGATOR_CHANNELS`. Events
   * never carry a token, a credential or a phone number; what the listener throws is logged and
   * never fails the request.
   * @example onEvent: (event) => auditLog.write(event)
   */
  onEvent?: VerigatorEventListener;
  /**
   * Replaces some of the messages end users read for a `VerigatorError`, by its `code`
   * (through `VerigatorExceptionFilter` and `TwoFactorGuard`).
   * @default the library's message for each code (see the errors guide)
   */
  errorMessages?: Partial<Record<VerigatorErrorCode, string>>;
}

/** Module options after validation, with every default applied. */
export interface ResolvedVerigatorOptions
  extends Omit<VerigatorModuleOptions, 'sms'>, VerigatorTransportSettings {
  endpoint: string;
  /** The SMS defences, `undefined` when none is on. */
  sms?: ResolvedSmsOptions;
  timeout: number;
  fallbackEndpoints: string[];
  retries: number;
  circuitBreaker: Required<VerigatorCircuitBreakerOptions> | false;
  /** Every end-user message by code: the defaults with `errorMessages` applied. */
  errorMessages: Readonly<Record<VerigatorErrorCode, string>>;
}
