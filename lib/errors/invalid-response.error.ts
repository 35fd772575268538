import { VerigatorError } from './verigator.error';

/** Verigator answered 2xx, but the body is not JSON or lacks a field the call needs. */
export class InvalidResponseError extends VerigatorError {
  override readonly code = 'INVALID_RESPONSE';
}
