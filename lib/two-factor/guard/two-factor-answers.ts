import { ExecutionContext } from '@nestjs/common';
import { InvalidDataError, VerigatorError } from '../../errors/verigator.error';
import type { TwoFactorEvent } from '../../events/two-factor-event';
import { toVerigatorEventError } from '../../events/verigator-event-error';
import {
  VerigatorErrorResponse,
  isVerigatorUnavailable,
  toVerigatorErrorResponse,
} from '../../filters/verigator-error-response';
import { ResolvedTwoFactorOptions } from '../two-factor-options.interface';
import { VerigatorConfigurationError } from '../../errors/verigator-configuration.error';
import { AuthMethod } from '../../models/verigator.models';
import { TwoFactorErrorCode } from '../two-factor.exception';

/** The part of a `TwoFactorEvent` that a step of the guard decides. */
export type TwoFactorEventDetails = Pick<TwoFactorEvent, 'type' | 'outcome'> &
  Partial<Pick<TwoFactorEvent, 'reason' | 'error' | 'method'>>;

/** A refusal: the code of the answer, and what the audit trail says about it. */
export interface TwoFactorRefusal {
  code: TwoFactorErrorCode;
  method?: AuthMethod;
  /** For `Retry-After`: milliseconds until the limit lifts. */
  retryAfterMs?: number;
  event?: TwoFactorEventDetails;
}

/** The 429 answers a limit gives, with their events. */
export const limitReached = {
  locked: (ttlMs: number): TwoFactorRefusal => ({
    code: TwoFactorErrorCode.LOCKED,
    retryAfterMs: ttlMs,
    event: { type: 'lockedOut', outcome: 'refused' },
  }),
  sendBudget: (ttlMs: number): TwoFactorRefusal => ({
    code: TwoFactorErrorCode.SEND_LIMITED,
    retryAfterMs: ttlMs,
    event: { type: 'sendRefused', outcome: 'refused', reason: 'budget' },
  }),
  smsPending: (ttlMs: number): TwoFactorRefusal => ({
    code: TwoFactorErrorCode.SMS_PENDING,
    retryAfterMs: ttlMs,
    event: { type: 'failed', outcome: 'refused', reason: 'smsPending' },
  }),
};

/** The store failed: fail closed, even with `failOpen` (which concerns Verigator). */
export const storeUnavailable: TwoFactorRefusal = {
  code: TwoFactorErrorCode.UNAVAILABLE,
  event: { type: 'storeUnavailable', outcome: 'refused' },
};

/** No Verigator user id on the request. */
export const userUnknown: TwoFactorRefusal = {
  code: TwoFactorErrorCode.USER_UNKNOWN,
  event: { type: 'userUnknown', outcome: 'refused' },
};

/** A token that local validation rejected: nothing reached Verigator. */
export const malformed: TwoFactorRefusal = {
  code: TwoFactorErrorCode.INVALID,
  event: { type: 'failed', outcome: 'refused', reason: 'malformed' },
};

/** A recovery code that is wrong or used already: 401, and it counted toward the lockout. */
export const invalidRecoveryCode: TwoFactorRefusal = {
  code: TwoFactorErrorCode.INVALID,
  event: { type: 'failed', outcome: 'refused', reason: 'invalidRecoveryCode' },
};

/**
 * The answer to a request whose code went out by `used`: 401 `TWO_FACTOR_REQUIRED` with it, or
 * 403 `TWO_FACTOR_APP_REQUIRED` when a `totp` route refuses Verigator's SMS fallback.
 */
export function codeSent(
  route: { method: AuthMethod; smsFallback: 'accept' | 'refuse' },
  used: AuthMethod,
): TwoFactorRefusal {
  const fellBack = route.method === AuthMethod.TOTP && used === AuthMethod.SMS;
  return fellBack && route.smsFallback === 'refuse'
    ? { code: TwoFactorErrorCode.APP_REQUIRED }
    : { code: TwoFactorErrorCode.REQUIRED, method: used };
}

/** The answer to a token Verigator did not verify, from its status. */
export function notVerified(status?: { throttled?: boolean; expired?: boolean }): TwoFactorRefusal {
  if (status?.throttled) {
    return {
      code: TwoFactorErrorCode.THROTTLED,
      event: { type: 'failed', outcome: 'refused', reason: 'throttled' },
    };
  }
  if (status?.expired) {
    return {
      code: TwoFactorErrorCode.EXPIRED,
      event: { type: 'failed', outcome: 'refused', reason: 'expired' },
    };
  }
  return {
    code: TwoFactorErrorCode.INVALID,
    event: { type: 'failed', outcome: 'refused', reason: 'invalid' },
  };
}

/**
 * What a failed Verigator call decides: with `failOpen` and an outage (`isVerigatorUnavailable`)
 * the request passes (no `answer`); otherwise the answer `VerigatorExceptionFilter` would give.
 */
export function verigatorFailure(
  error: VerigatorError,
  options: Pick<ResolvedTwoFactorOptions, 'failOpen' | 'errorMessages'>,
  context: ExecutionContext,
  userId: string,
): { event: TwoFactorEventDetails; log: string; answer?: VerigatorErrorResponse } {
  const unavailable = isVerigatorUnavailable(error);
  const passes = options.failOpen && unavailable;
  const route = routeName(context);
  return {
    log: passes
      ? `failOpen: letting ${route} through for user ${userId} without a second factor, ` +
        `as Verigator failed: ${JSON.stringify(error.toJSON())}`
      : `Verigator failed for ${route}, user ${userId}: `,
    event: {
      type: unavailable ? 'unavailable' : 'verigatorError',
      outcome: passes ? 'passed' : 'refused',
      error: toVerigatorEventError(error),
    },
    answer: passes ? undefined : toVerigatorErrorResponse(error, options.errorMessages),
  };
}

/** The error for a route whose guard resolved no service id. */
export function noServiceId(guard: string, context: ExecutionContext): Error {
  const problem = `was not found: ${guard}.getServiceId() resolved no service id for ${routeName(context)}`;
  return new VerigatorConfigurationError('serviceId', problem);
}

/** The log line of a failed `TwoFactorStore` call (its message names no key nor value). */
export function storeFailure(context: ExecutionContext, error: Error): string {
  return `TwoFactorStore failed for ${routeName(context)}: ${error.message}`;
}

/** Seconds for `Retry-After` from a record's time left: whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/** True when local validation rejected only the token: nothing reached Verigator. */
export function isMalformedToken(error: unknown): boolean {
  return (
    error instanceof InvalidDataError &&
    error.statusCode === 0 &&
    error.fields.length > 0 &&
    error.fields.every((field) => field.field === 'token')
  );
}

/** The protected handler as `Controller.method`: no path, so no ids from the URL. */
export function routeName(context: ExecutionContext): string {
  return `${context.getClass().name}.${context.getHandler().name}`;
}
