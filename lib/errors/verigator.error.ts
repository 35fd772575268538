/*
 * Every error the library throws for a Verigator call: one base class, `VerigatorError`, and a
 * subclass per way a call fails. By Verigator's answer: 400/422 InvalidDataError (also local
 * validation, nothing sent), 401 WrongCredentialsError, 403 ResourceForbiddenError, 404
 * NoSuchResourceError, 409 ResourceAlreadyExistsError, 429 RateLimitedError, 5xx InternalError,
 * a 2xx that is not the expected JSON InvalidResponseError, any other status the base class.
 * Without an answer: RequestTimeoutError, ConnectionError, and its subclass CircuitOpenError.
 * Refused by the `sms` defences before any call: SmsRefusedError, or RateLimitedError when a
 * budget is spent.
 */

/** What a `VerigatorError` is built from. */
export interface VerigatorErrorDetails {
  /** Upstream HTTP status; 0 (the default) when no answer came. */
  statusCode?: number;
  /** The upstream body when it was JSON (bounded, secrets masked); a body that is not JSON is not kept. */
  body?: unknown;
  /** The underlying failure, already stripped of request headers. */
  cause?: unknown;
}

/**
 * Base class of every error the library throws for a Verigator call.
 * Catch it to handle any Verigator failure; check `instanceof` a subclass or `code` for one kind.
 * Never carries credentials: not in `message`, `body`, `cause` nor its JSON form.
 */
export class VerigatorError extends Error {
  /** Stable machine-readable kind, e.g. `NO_SUCH_RESOURCE`. */
  readonly code: string = 'VERIGATOR_ERROR';
  /** Upstream HTTP status, or 0 when there was no answer (timeout, connection failure, bad input). */
  readonly statusCode: number;
  /**
   * The upstream body when it was JSON (bounded, secrets masked); `undefined` when empty or not
   * JSON (the message then says what it was: content type and size, never its text).
   */
  readonly body: unknown;

  constructor(message: string, details: VerigatorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.statusCode = details.statusCode ?? 0;
    this.body = details.body;
  }

  /** A plain form for logs and JSON, without the stack. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      statusCode: this.statusCode,
      message: this.message,
      body: this.body,
    };
  }
}

/** One input field that failed validation, with every rule it broke. */
export interface InvalidField {
  /** The field's name as the caller passed it, e.g. `phoneNumber`. */
  field: string;
  /** Human-readable messages, one per broken rule. They never contain the value. */
  messages: string[];
}

/**
 * The input was rejected: by local validation (nothing was sent; `statusCode` 0, `fields` set)
 * or by Verigator (400 or 422).
 */
export class InvalidDataError extends VerigatorError {
  override readonly code = 'INVALID_DATA';
  /** The failing fields, when local validation rejected the input; empty otherwise. */
  readonly fields: InvalidField[];

  constructor(message: string, details: VerigatorErrorDetails & { fields?: InvalidField[] } = {}) {
    super(message, details);
    this.fields = details.fields ?? [];
  }

  /** Builds the error for fields that failed local validation, naming each of them. */
  static fromFields(fields: InvalidField[]): InvalidDataError {
    const summary = fields.map((f) => `${f.field}: ${f.messages.join('; ')}`).join(', ');
    return new InvalidDataError(`Invalid input (${summary})`, { fields });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fields: this.fields };
  }
}

/** Verigator answered 401: the API username or password is missing or wrong. */
export class WrongCredentialsError extends VerigatorError {
  override readonly code = 'WRONG_CREDENTIALS';
}

/** Verigator answered 403: these credentials may not use that service or user. */
export class ResourceForbiddenError extends VerigatorError {
  override readonly code = 'RESOURCE_FORBIDDEN';
}

/** Verigator answered 404: the service or user does not exist. */
export class NoSuchResourceError extends VerigatorError {
  override readonly code = 'NO_SUCH_RESOURCE';
}

/** Verigator answered 409: the user or service already exists, or the service still has users. */
export class ResourceAlreadyExistsError extends VerigatorError {
  override readonly code = 'RESOURCE_ALREADY_EXISTS';
}

/**
 * Too many requests: Verigator answered 429 (`RATE_LIMITED`), or an SMS budget of the `sms`
 * defences is spent (`SMS_LIMITED`; nothing reached Verigator). Answered 429 with `Retry-After`.
 */
export class RateLimitedError extends VerigatorError {
  override readonly code: 'RATE_LIMITED' | 'SMS_LIMITED';
  /** Seconds to wait before trying again: Verigator's `Retry-After`, or the budget window's end. */
  readonly retryAfter?: number;

  constructor(
    message: string,
    details: VerigatorErrorDetails & { retryAfter?: number; code?: 'SMS_LIMITED' } = {},
  ) {
    super(message, details);
    this.code = details.code ?? 'RATE_LIMITED';
    this.retryAfter = details.retryAfter;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfter: this.retryAfter };
  }
}

/** Verigator answered 5xx: a problem on the server side. */
export class InternalError extends VerigatorError {
  override readonly code = 'INTERNAL_ERROR';
}

/** Verigator answered 2xx, but the body is not JSON or lacks a field the call needs. */
export class InvalidResponseError extends VerigatorError {
  override readonly code = 'INVALID_RESPONSE';
}

/** No answer came within the configured `timeout`; the request may or may not have been processed. */
export class RequestTimeoutError extends VerigatorError {
  override readonly code = 'REQUEST_TIMEOUT';
}

/** Verigator could not be reached: connection refused or reset, or the host name did not resolve. */
export class ConnectionError extends VerigatorError {
  override readonly code: string = 'CONNECTION_ERROR';
}

/**
 * The endpoint's circuit breaker is open (Verigator failed repeatedly): the call failed at once,
 * without sending anything. A `ConnectionError`, so it is handled (and answered 503) like one.
 */
export class CircuitOpenError extends ConnectionError {
  override readonly code = 'CIRCUIT_OPEN';
}

/**
 * No SMS was sent to this number: it is outside `sms.allowedCountries`, or unknown under
 * `unknownNumbers: 'refuse'`. Answered 403; nothing reached Verigator. (A spent SMS budget is a
 * `RateLimitedError` with the code `SMS_LIMITED`.)
 */
export class SmsRefusedError extends VerigatorError {
  override readonly code = 'SMS_NOT_ALLOWED';

  constructor(reason: 'country' | 'unknownNumber') {
    super(`SMS refused: ${reason}`);
  }
}
