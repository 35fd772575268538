import type { AuthMethod } from '../models/verigator.models';
import type { VerigatorEventError } from './verigator-event-error';

/**
 * What `TwoFactorGuard` decided for one request:
 * - `codeSent`: a code was sent (or the app prompted); answered 401 `TWO_FACTOR_REQUIRED`.
 * - `sendRefused`: no code sent because one is fresh (`reason: 'cooldown'`) or the user's send
 *   budget is spent (`reason: 'budget'`); answered 401 or 429.
 * - `verified`: the token was right; the request passes.
 * - `remembered`: a recent success (`maxAge`) lets the request pass without a token.
 * - `recoveryCode`: a recovery code passed in place of a token, and is used up.
 * - `trustedDevice`: a device the user trusted (`trustedDevices`) lets the request pass without a
 *   token.
 * - `deviceTrusted`: after `verified`, the client's device was trusted (a device token issued);
 *   `method` is the one the verification counted as. Never carries the token nor its hash.
 * - `failed`: the token was wrong (`reason`: `invalid`, `malformed`, `expired`, `throttled`), or
 *   not verified on a `totp` route while an SMS code may be valid (`smsPending`), or the
 *   recovery code was wrong or used already (`invalidRecoveryCode`).
 * - `lockedOut`: too many attempts; answered 429 without asking Verigator.
 * - `userUnknown`: the request carries no Verigator user id; answered 401.
 * - `unavailable`: Verigator could not be reached, timed out or failed; refused (fails closed),
 *   or passed with `failOpen`.
 * - `verigatorError`: Verigator refused the call for another reason (e.g. wrong API credentials,
 *   rate limited); refused.
 * - `storeUnavailable`: the `TwoFactorStore` (e.g. Redis) failed or was too slow; answered 503
 *   `TWO_FACTOR_UNAVAILABLE` (fails closed, even with `failOpen`).
 */
export type TwoFactorEventType =
  | 'codeSent'
  | 'sendRefused'
  | 'verified'
  | 'remembered'
  | 'recoveryCode'
  | 'trustedDevice'
  | 'deviceTrusted'
  | 'failed'
  | 'lockedOut'
  | 'userUnknown'
  | 'unavailable'
  | 'verigatorError'
  | 'storeUnavailable';

/** Why a code was not sent or a token not accepted. */
export type TwoFactorEventReason =
  | 'cooldown'
  | 'budget'
  | 'invalid'
  | 'malformed'
  | 'expired'
  | 'throttled'
  | 'smsPending'
  | 'invalidRecoveryCode';

/**
 * One decision of `TwoFactorGuard`, published on `verigator:guard:decision` and to `onEvent`.
 * Never carries the token, a recovery code, the API credentials nor a phone number.
 */
export interface TwoFactorEvent {
  type: TwoFactorEventType;
  /** The protected handler, as `Controller.method` (no path, so no ids from the URL). */
  route: string;
  /** The Verigator service id. */
  serviceId: string;
  /** The Verigator user id; absent with `userUnknown`. */
  userId?: string;
  /** The delivery method: the one Verigator used with `codeSent`, else the route's. */
  method: AuthMethod;
  /** Whether the request was let through. */
  outcome: 'passed' | 'refused';
  /** With `sendRefused` and `failed`. */
  reason?: TwoFactorEventReason;
  /** With `unavailable` and `verigatorError`: what failed. */
  error?: VerigatorEventError;
  /** Milliseconds the guard spent on this request so far, Verigator calls included. */
  latencyMs: number;
  /** When it happened, in epoch milliseconds. */
  timestamp: number;
}
