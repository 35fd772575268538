import { VerigatorError } from './verigator.error';

/** Verigator answered 409: the user or service already exists, or the service still has users. */
export class ResourceAlreadyExistsError extends VerigatorError {
  override readonly code = 'RESOURCE_ALREADY_EXISTS';
}
