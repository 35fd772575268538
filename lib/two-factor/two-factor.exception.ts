import { HttpException, HttpStatus } from '@nestjs/common';
import { AuthMethod } from '../models/verigator.models';

/** The `code` of each answer `TwoFactorGuard` gives instead of letting a request through. */
export const TwoFactorErrorCode = {
  /** 401: the guard found no Verigator user id on the request. */
  USER_UNKNOWN: 'TWO_FACTOR_USER_UNKNOWN',
  /** 401: no token; a code was sent (or is still fresh), `method` says how. */
  REQUIRED: 'TWO_FACTOR_REQUIRED',
  /** 401: the token is wrong or malformed. */
  INVALID: 'TWO_FACTOR_INVALID',
  /** 401: the code expired; send a request without token for a new one. */
  EXPIRED: 'TWO_FACTOR_EXPIRED',
  /** 429: Verigator refused the code after too many tries; ask for a new one. */
  THROTTLED: 'TWO_FACTOR_THROTTLED',
  /** 429: too many attempts within the window (no code is sent either); see `Retry-After`. */
  LOCKED: 'TWO_FACTOR_LOCKED',
  /** 429: this user's send budget is spent; no code was sent; `Retry-After` says when. */
  SEND_LIMITED: 'TWO_FACTOR_SEND_LIMITED',
  /**
   * 429: on a `totp` route, an SMS code this app sent may still be valid, and Verigator's answer
   * could not tell it from the app's code; `Retry-After` says when it will have expired.
   */
  SMS_PENDING: 'TWO_FACTOR_SMS_PENDING',
  /** 403: the route demands the Verigator app (`smsFallback: 'refuse'`) and the user has none. */
  APP_REQUIRED: 'TWO_FACTOR_APP_REQUIRED',
  /** 503: the guard's store (e.g. Redis) failed or is unreachable; the request is refused. */
  UNAVAILABLE: 'TWO_FACTOR_UNAVAILABLE',
} as const;

/** One of the `TwoFactorErrorCode` values. */
export type TwoFactorErrorCode = (typeof TwoFactorErrorCode)[keyof typeof TwoFactorErrorCode];

/** Default `message` of each code; override some with the `twoFactor.messages` option. */
export const TWO_FACTOR_MESSAGES: Readonly<Record<TwoFactorErrorCode, string>> = {
  TWO_FACTOR_USER_UNKNOWN: 'Two-factor authentication needs a known user',
  TWO_FACTOR_REQUIRED: 'Enter the verification code to continue',
  TWO_FACTOR_INVALID: 'The verification code is not valid',
  TWO_FACTOR_EXPIRED: 'The verification code has expired; request a new one',
  TWO_FACTOR_THROTTLED: 'Too many wrong codes; request a new one',
  TWO_FACTOR_LOCKED: 'Too many verification attempts; try again later',
  TWO_FACTOR_SEND_LIMITED: 'Too many codes were sent; try again later',
  TWO_FACTOR_SMS_PENDING:
    'A text-message code sent to you is still valid; use the Verigator app once it has expired',
  TWO_FACTOR_APP_REQUIRED: 'This action needs the Verigator app; enrol it first',
  TWO_FACTOR_UNAVAILABLE: 'Two-factor authentication is temporarily unavailable; try again later',
};

const STATUS_BY_CODE: Readonly<Record<TwoFactorErrorCode, HttpStatus>> = {
  TWO_FACTOR_USER_UNKNOWN: HttpStatus.UNAUTHORIZED,
  TWO_FACTOR_REQUIRED: HttpStatus.UNAUTHORIZED,
  TWO_FACTOR_INVALID: HttpStatus.UNAUTHORIZED,
  TWO_FACTOR_EXPIRED: HttpStatus.UNAUTHORIZED,
  TWO_FACTOR_THROTTLED: HttpStatus.TOO_MANY_REQUESTS,
  TWO_FACTOR_LOCKED: HttpStatus.TOO_MANY_REQUESTS,
  TWO_FACTOR_SEND_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  TWO_FACTOR_SMS_PENDING: HttpStatus.TOO_MANY_REQUESTS,
  TWO_FACTOR_APP_REQUIRED: HttpStatus.FORBIDDEN,
  TWO_FACTOR_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

const REASON_PHRASES: Readonly<Partial<Record<HttpStatus, string>>> = {
  [HttpStatus.UNAUTHORIZED]: 'Unauthorized',
  [HttpStatus.FORBIDDEN]: 'Forbidden',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too Many Requests',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'Service Unavailable',
};

/** The body of a `TwoFactorException`, in the Nest error shape. */
export interface TwoFactorExceptionBody {
  statusCode: number;
  error: string;
  message: string;
  code: TwoFactorErrorCode;
  /** With `TWO_FACTOR_REQUIRED`: how the code was delivered, so the client can prompt. */
  method?: AuthMethod;
}

/**
 * What `TwoFactorGuard` throws to stop a request: 401, 429 or 503 with a `code` from
 * `TwoFactorErrorCode`. Never carries the token.
 */
export class TwoFactorException extends HttpException {
  constructor(
    readonly code: TwoFactorErrorCode,
    options: { message?: string; method?: AuthMethod } = {},
  ) {
    const statusCode = STATUS_BY_CODE[code];
    const body: TwoFactorExceptionBody = {
      statusCode,
      error: REASON_PHRASES[statusCode]!,
      message: options.message ?? TWO_FACTOR_MESSAGES[code],
      code,
      ...(options.method && { method: options.method }),
    };
    super(body, statusCode);
  }
}
