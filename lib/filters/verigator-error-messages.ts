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
