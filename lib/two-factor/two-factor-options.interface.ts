import { ExecutionContext } from '@nestjs/common';
import { VerigatorErrorCode } from '../filters/verigator-error-response';
import { AuthMethod } from '../models/verigator.models';
import { TwoFactorErrorCode } from './two-factor.exception';
import { TwoFactorStore } from '../stores/two-factor.store';
import {
  RecoveryCodesOptions,
  ResolvedRecoveryCodesOptions,
} from '../recovery-codes/recovery-codes-options';
import {
  ResolvedTrustedDevicesOptions,
  TrustedDevicesOptions,
} from '../trusted-devices/trusted-devices-options.interface';

/** The HTTP request as the adapter delivers it (Express `Request` or Fastify `FastifyRequest`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TwoFactorRequest = Record<string, any>;

/** Reads a string from the request, such as the user id or the token; `undefined` when absent. */
export type TwoFactorRequestReader = (
  request: TwoFactorRequest,
  context: ExecutionContext,
) => string | undefined | Promise<string | undefined>;

/** Settings a route can give through `@RequireTwoFactor()`; each defaults to the module's. */
export interface TwoFactorRouteOptions {
  /**
   * How to deliver the code. With `totp` Verigator falls back to SMS for users without the app.
   * @default 'sms'
   */
  method?: AuthMethod;
  /** The Verigator service id. @default the module's `serviceId` */
  serviceId?: string;
  /**
   * Milliseconds a verified code keeps this user (and session key) passing without a new code.
   * 0: every protected request needs a fresh code. A success remembered for `sms` never passes a
   * `totp` route; one for `totp` passes both.
   * @default 0
   */
  maxAge?: number;
  /**
   * On a `totp` route, what to do when Verigator falls back to SMS for a user without the app:
   * `accept` the SMS code (the success then counts as `sms`), or `refuse` with 403
   * `TWO_FACTOR_APP_REQUIRED`, telling the user to enrol the app (Verigator has sent the SMS by
   * then: its answer is how we learn the user has no app).
   * @default 'accept'
   */
  smsFallback?: 'accept' | 'refuse';
  /**
   * Whether a recovery code (header `X-Verigator-Recovery-Code`) passes in place of a Verigator
   * code. `false` for routes that need a fresh second factor, such as generating new codes.
   * `true` without `twoFactor.recoveryCodes` fails start-up, naming the route.
   * @default true when `twoFactor.recoveryCodes` is set
   */
  recoveryCodes?: boolean;
  /**
   * Whether a trusted device (`twoFactor.trustedDevices`) passes this route without a code, and
   * whether a verification here may trust one. `false` demands a fresh code every time, e.g. to
   * list or revoke devices.
   * `true` without `twoFactor.trustedDevices` fails start-up, naming the route.
   * @default true when `twoFactor.trustedDevices` is configured
   */
  trustedDevices?: boolean;
}

/** The route settings the `twoFactor` module option gives defaults for. */
export type TwoFactorRouteDefaults = Omit<
  TwoFactorRouteOptions,
  'trustedDevices' | 'recoveryCodes'
>;

/**
 * The `twoFactor` module option: how `TwoFactorGuard` finds the user and the token, and how it
 * limits sending and guessing. Durations are in milliseconds.
 */
export interface TwoFactorModuleOptions extends TwoFactorRouteDefaults {
  /**
   * Milliseconds after a code is sent during which token-less requests send no other code
   * (against SMS pumping). Released early when the code is verified, expired or throttled, or
   * when a verify's outcome is unknown (timeout, connection reset).
   * @default 60000
   */
  cooldown?: number;
  /**
   * Codes sent per user within `sendWindow`, across cooldowns; further token-less requests answer
   * 429 `TWO_FACTOR_SEND_LIMITED` with `Retry-After` and send nothing. A send Verigator refused is
   * given back; one whose outcome is unknown (timeout) is kept. (Twilio Verify's default.)
   * @default 5
   */
  maxSends?: number;
  /**
   * Milliseconds of the send budget's window, counted from the first send in it.
   * @default 600000 (10 minutes)
   */
  sendWindow?: number;
  /**
   * Verification attempts allowed per user within `window`; further tries answer 429 with
   * `Retry-After` and never reach Verigator, and while locked no code is sent either. A success
   * resets the count. An attempt whose outcome is unknown (timeout, connection reset) counts;
   * one that never reached Verigator (connection refused) or that it answered with an error does not.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * Milliseconds of the lockout window, counted from the first attempt in it.
   * @default 900000 (15 minutes)
   */
  window?: number;
  /**
   * DANGEROUS. When Verigator is unreachable or failing (503, 502, 504; not on wrong
   * credentials nor rate limiting), let the request through instead of failing closed, and log a
   * warning naming the route and the user. Anyone with the first factor then passes.
   * @default false
   */
  failOpen?: boolean;
  /** Reads the Verigator user id. @default request.user?.verigatorId */
  userId?: TwoFactorRequestReader;
  /** Reads the code the user typed. @default the `X-Verigator-Token` header */
  token?: TwoFactorRequestReader;
  /**
   * Reads what a remembered success (`maxAge`) is bound to, besides the user, e.g. a session id
   * or a JWT `jti`; when it returns `undefined`, nothing is remembered for that request.
   * @default the success is remembered for the user across all their sessions
   */
  sessionKey?: TwoFactorRequestReader;
  /**
   * Milliseconds an SMS code Verigator sent may stay valid: while one may be, `totp` routes refuse
   * a fresh verification (429 `TWO_FACTOR_SMS_PENDING` with `Retry-After`), as Verigator's answer
   * cannot tell an SMS code from the app's. Keep it at least Verigator's SMS code lifetime.
   * @default 300000 (5 minutes)
   */
  smsCodeLifetime?: number;
  /** Where counters and cooldowns live. @default new InMemoryTwoFactorStore() */
  store?: TwoFactorStore;
  /** Replaces some of the default messages of `TwoFactorException` (`TWO_FACTOR_MESSAGES`). */
  messages?: Partial<Record<TwoFactorErrorCode, string>>;
  /** One-time recovery codes for users who lost their phone; off when absent. */
  recoveryCodes?: RecoveryCodesOptions;
  /**
   * Trusted devices ("don't ask again on this device"): after a verification, a client that asks
   * (`X-Verigator-Remember-Device: true`, or `rememberDevice` in the body) gets a device token,
   * and later requests of the same user carrying it pass without a code. Off when absent.
   * @example
   * trustedDevices: { transport: 'cookie' }
   */
  trustedDevices?: TrustedDevicesOptions;
}

/** Two-factor options after validation, with every default applied. */
export interface ResolvedTwoFactorOptions extends Required<
  Pick<
    TwoFactorModuleOptions,
    | 'method'
    | 'maxAge'
    | 'smsFallback'
    | 'cooldown'
    | 'maxAttempts'
    | 'window'
    | 'maxSends'
    | 'sendWindow'
    | 'smsCodeLifetime'
  >
> {
  failOpen: boolean;
  serviceId?: string;
  userId?: TwoFactorRequestReader;
  token?: TwoFactorRequestReader;
  sessionKey?: TwoFactorRequestReader;
  store?: TwoFactorStore;
  messages: Partial<Record<TwoFactorErrorCode, string>>;
  recoveryCodes?: ResolvedRecoveryCodesOptions;
  trustedDevices?: ResolvedTrustedDevicesOptions;
  /** End-user messages for a failed Verigator call, by `VerigatorError` code. */
  errorMessages?: Readonly<Record<VerigatorErrorCode, string>>;
}
