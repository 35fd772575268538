import { VerigatorError } from './verigator.error';

/** Verigator could not be reached: connection refused or reset, or the host name did not resolve. */
export class ConnectionError extends VerigatorError {
  override readonly code: string = 'CONNECTION_ERROR';
}
