import { VerigatorError } from './verigator.error';

/** No answer came within the configured `timeout`; the request may or may not have been processed. */
export class RequestTimeoutError extends VerigatorError {
  override readonly code = 'REQUEST_TIMEOUT';
}
