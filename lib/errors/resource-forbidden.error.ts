import { VerigatorError } from './verigator.error';

/** Verigator answered 403: these credentials may not use that service or user. */
export class ResourceForbiddenError extends VerigatorError {
  override readonly code = 'RESOURCE_FORBIDDEN';
}
