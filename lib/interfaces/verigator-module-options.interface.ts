import type { VerigatorEventListener } from '../events/verigator-event';
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
   * Milliseconds a call may take before it fails with `RequestTimeoutError`.
   * @default 5000
   */
  timeout?: number;
  /** The Verigator service id used when a route does not name one (by the guard). */
  serviceId?: string;
  /**
   * How `TwoFactorGuard` finds users and tokens and limits sending and guessing.
   * @default cooldown 60 s, maxAttempts 5 per 15 min window, maxAge 0, failOpen false, in-memory store
   */
  twoFactor?: TwoFactorModuleOptions;
  /**
   * Receives the audit trail: every guard decision (`TwoFactorEvent`), every Verigator call
   * (`VerigatorCallEvent`) and every retry, failover or breaker change (`VerigatorResilienceEvent`).
   * The same events go to the `node:diagnostics_channel` channels in `VERIGATOR_CHANNELS`. Events
   * never carry a token, a credential or a phone number; what the listener throws is logged and
   * never fails the request.
   * @example onEvent: (event) => auditLog.write(event)
   */
  onEvent?: VerigatorEventListener;
}

/** Module options after validation, with every default applied. */
export interface ResolvedVerigatorOptions extends VerigatorModuleOptions {
  endpoint: string;
  timeout: number;
}
