import { HttpStatus } from '@nestjs/common';
import {
  ConnectionError,
  InvalidDataError,
  InvalidField,
  NoSuchResourceError,
  RateLimitedError,
  RequestTimeoutError,
  ResourceAlreadyExistsError,
  VerigatorError,
  SmsRefusedError,
} from '../errors/verigator.error';
import { isOutage } from '../http/resilience/operation-safety';

/**
 * The message end users read for each `VerigatorError` code, through `VerigatorExceptionFilter`
 * and `TwoFactorGuard`. Stable, and never the upstream text (which may name the provider, ids or
 * personal data: that goes to the log only). Replace some with the `errorMessages` module option.
 */
export const VERIGATOR_ERROR_MESSAGES = {
  INVALID_DATA: 'The request data is not valid',
  NO_SUCH_RESOURCE: 'The requested resource was not found',
  RESOURCE_ALREADY_EXISTS: 'The resource already exists',
  RATE_LIMITED: 'Too many requests to the two-factor authentication provider; retry later',
  WRONG_CREDENTIALS: 'The two-factor authentication provider failed to process the request',
  RESOURCE_FORBIDDEN: 'The two-factor authentication provider failed to process the request',
  INTERNAL_ERROR: 'The two-factor authentication provider failed to process the request',
  INVALID_RESPONSE: 'The two-factor authentication provider failed to process the request',
  VERIGATOR_ERROR: 'The two-factor authentication provider failed to process the request',
  CONNECTION_ERROR: 'The two-factor authentication provider could not be reached',
  CIRCUIT_OPEN: 'The two-factor authentication provider could not be reached',
  REQUEST_TIMEOUT: 'The two-factor authentication provider did not answer in time',
  SMS_NOT_ALLOWED: 'Codes cannot be sent by SMS to this phone number; use the authenticator app',
  SMS_LIMITED: 'Too many codes were sent by SMS; retry later or use the authenticator app',
} as const satisfies Readonly<Record<string, string>>;

/** The `code` of each `VerigatorError` class, e.g. `NO_SUCH_RESOURCE`. */
export type VerigatorErrorCode = keyof typeof VERIGATOR_ERROR_MESSAGES;

/** The body `VerigatorExceptionFilter` (and the guard, failing closed) answers with. */
export interface VerigatorErrorResponseBody {
  statusCode: number;
  /** The status' reason phrase, e.g. `Bad Gateway`. */
  error: string;
  /**
   * The library's own message for the error's `code` (`VERIGATOR_ERROR_MESSAGES`, or the
   * `errorMessages` option); never the upstream text.
   */
  message: string;
  /** The error's `code`, e.g. `CONNECTION_ERROR`. */
  code: string;
  /** With `INVALID_DATA`: the fields local validation rejected (empty when Verigator did). */
  fields?: InvalidField[];
}

/** A ready-to-send answer for a `VerigatorError`. */
export interface VerigatorErrorResponse {
  statusCode: number;
  body: VerigatorErrorResponseBody;
  /** Seconds for the `Retry-After` header, when known. */
  retryAfter?: number;
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The code whose message answers an error of a code with no message of its own (a subclass). */
const FALLBACK_CODE_BY_STATUS: Readonly<Record<number, VerigatorErrorCode>> = {
  400: 'INVALID_DATA',
  403: 'SMS_NOT_ALLOWED',
  404: 'NO_SUCH_RESOURCE',
  409: 'RESOURCE_ALREADY_EXISTS',
  429: 'RATE_LIMITED',
  502: 'VERIGATOR_ERROR',
  503: 'CONNECTION_ERROR',
  504: 'REQUEST_TIMEOUT',
};

/**
 * The HTTP status a `VerigatorError` becomes: 400 invalid data, 403 an SMS the `sms` defences
 * do not allow, 404 no such resource, 409 already exists, 429 rate limited (by Verigator or an
 * SMS budget), 503 connection failure, 504 timeout, and 502 for everything
 * else, wrong credentials and forbidden included (they are the server's own credentials: a 401 or
 * 403 would make a browser client log its user out).
 */
export function httpStatusForVerigatorError(error: VerigatorError): number {
  if (error instanceof InvalidDataError) return HttpStatus.BAD_REQUEST;
  if (error instanceof SmsRefusedError) return HttpStatus.FORBIDDEN;
  if (error instanceof NoSuchResourceError) return HttpStatus.NOT_FOUND;
  if (error instanceof ResourceAlreadyExistsError) return HttpStatus.CONFLICT;
  if (error instanceof RateLimitedError) return HttpStatus.TOO_MANY_REQUESTS;
  if (error instanceof ConnectionError) return HttpStatus.SERVICE_UNAVAILABLE;
  if (error instanceof RequestTimeoutError) return HttpStatus.GATEWAY_TIMEOUT;
  return HttpStatus.BAD_GATEWAY;
}

/**
 * Whether the error means Verigator is unavailable: an outage as the breaker counts it
 * (unreachable, no answer within `timeout`, 502/503/504, or the circuit open). What `failOpen`
 * applies to; never a 500 or a garbled answer, which one request's content might provoke.
 */
export function isVerigatorUnavailable(error: VerigatorError): boolean {
  return isOutage(error);
}

/**
 * Builds the answer for a `VerigatorError`: the library's own message for its code (from
 * `messages`), the code, and for local validation the failing fields; never upstream text.
 */
export function toVerigatorErrorResponse(
  error: VerigatorError,
  messages: Readonly<Record<VerigatorErrorCode, string>> = VERIGATOR_ERROR_MESSAGES,
): VerigatorErrorResponse {
  const statusCode = httpStatusForVerigatorError(error);
  const fallback = FALLBACK_CODE_BY_STATUS[statusCode];
  const body: VerigatorErrorResponseBody = {
    statusCode,
    error: REASON_PHRASES[statusCode],
    message: messages[error.code as VerigatorErrorCode] ?? messages[fallback],
    code: error.code,
  };
  if (error instanceof InvalidDataError) body.fields = error.fields;
  const retryAfter = error instanceof RateLimitedError ? error.retryAfter : undefined;
  return { statusCode, body, ...(retryAfter !== undefined && { retryAfter }) };
}
