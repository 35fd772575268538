import { VerigatorError } from './verigator.error';

/** Verigator answered 404: the service or user does not exist. */
export class NoSuchResourceError extends VerigatorError {
  override readonly code = 'NO_SUCH_RESOURCE';
}
