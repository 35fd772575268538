import { VerigatorError } from './verigator.error';

/** Verigator answered 401: the API username or password is missing or wrong. */
export class WrongCredentialsError extends VerigatorError {
  override readonly code = 'WRONG_CREDENTIALS';
}
