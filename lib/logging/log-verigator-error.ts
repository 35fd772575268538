import { Logger } from '@nestjs/common';
import { VerigatorError } from '../errors/verigator.error';
import { createSecretMasker } from '../http/mask-secrets';
import { maskPersonalData } from './mask-personal-data';

/**
 * Logs a `VerigatorError` with its upstream details (the only place they go): at `error` for 5xx
 * and failures without an answer, `warn` for a rate limit, `debug` for expected outcomes (400,
 * 404, 409). Personal data is masked (`maskPersonalData`), and so is every `secret` given (a
 * user's token); the API password never is in an error.
 */
export function logVerigatorError(
  logger: Pick<Logger, 'error' | 'warn' | 'debug'>,
  prefix: string,
  error: VerigatorError,
  secrets: readonly (string | undefined)[] = [],
): void {
  const line = describeForLog(`${prefix}${JSON.stringify(error.toJSON())}`, secrets);
  if (isExpectedOutcome(error)) logger.debug(line);
  else if (error.statusCode === 429) logger.warn(line);
  else logger.error(line);
}

/**
 * Masks personal data and the given secrets (also JSON-escaped or percent-encoded, as they appear
 * in a serialised error) in a line about to be logged.
 */
export function describeForLog(
  line: string,
  secrets: readonly (string | undefined)[] = [],
): string {
  const given = secrets.filter((secret): secret is string => typeof secret === 'string');
  return maskPersonalData(createSecretMasker(given)(line));
}

function isExpectedOutcome(error: VerigatorError): boolean {
  const { code } = error;
  return (
    code === 'INVALID_DATA' || code === 'NO_SUCH_RESOURCE' || code === 'RESOURCE_ALREADY_EXISTS'
  );
}
