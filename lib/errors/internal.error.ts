import { VerigatorError } from './verigator.error';

/** Verigator answered 5xx: a problem on the server side. */
export class InternalError extends VerigatorError {
  override readonly code = 'INTERNAL_ERROR';
}
