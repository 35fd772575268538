import { ConnectionError, RequestTimeoutError } from '../errors/verigator.error';
import { provablyNeverSent } from '../http/resilience/operation-safety';

/**
 * True when a call failed without telling whether Verigator acted on it: a timeout, or a
 * connection lost after it was made (reset). Such a verify may have spent the code, such an
 * initiate may have sent an SMS. Not when it provably never left (connection refused, circuit
 * open: the rules in `operation-safety.ts`).
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (!(error instanceof RequestTimeoutError || error instanceof ConnectionError)) return false;
  return !provablyNeverSent(error);
}
