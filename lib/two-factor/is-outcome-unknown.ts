import { ConnectionError } from '../errors/connection.error';
import { RequestTimeoutError } from '../errors/request-timeout.error';

/** Connection failures that prove the request never reached Verigator. */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/**
 * True when a call failed without telling whether Verigator acted on it: a timeout, or a
 * connection lost after it was made (reset). Such a verify may have spent the code, such an
 * initiate may have sent an SMS.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof RequestTimeoutError) return true;
  if (!(error instanceof ConnectionError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return !(typeof code === 'string' && NEVER_SENT_CODES.has(code));
}
