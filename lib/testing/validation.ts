import { SimulatorError } from './simulator-error';

/** E.164: a plus sign, a non-zero country digit, 7 to 15 digits in all. */
export const E164_PHONE_NUMBER = /^\+[1-9]\d{6,14}$/;

/** The authentication methods the API knows. */
export type AuthMethod = 'sms' | 'totp';

/**
 * Parses a request body that must be a JSON object.
 *
 * @throws SimulatorError 422 when the body is empty, not JSON, or not an object.
 */
export function parseJsonObject(raw: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SimulatorError(422, 'Request body must be JSON-encoded');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SimulatorError(422, 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** @throws SimulatorError 422 naming `field` unless it is a non-blank string. */
export function requireNonEmptyString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SimulatorError(422, `${field} is required and must be a non-empty string`);
  }
  return value;
}

/** @throws SimulatorError 422 naming `field` unless it is a string (possibly empty). */
export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') {
    throw new SimulatorError(422, `${field} is required and must be a string`);
  }
  return value;
}

/** @throws SimulatorError 422 naming `field` unless it is an E.164 phone number. */
export function requirePhoneNumber(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || !E164_PHONE_NUMBER.test(value)) {
    throw new SimulatorError(
      422,
      `${field} must be a phone number in E.164 format with its country prefix, e.g. +3725555555`,
    );
  }
  return value;
}

/** @throws SimulatorError 422 naming `method` unless it is `sms` or `totp`. */
export function requireAuthMethod(body: Record<string, unknown>): AuthMethod {
  const value = body.method;
  if (value !== 'sms' && value !== 'totp') {
    throw new SimulatorError(422, 'method is required and must be "sms" or "totp"');
  }
  return value;
}
