import { ConnectionError } from '../errors/connection.error';
import { InternalError } from '../errors/internal.error';
import { InvalidDataError } from '../errors/invalid-data.error';
import { NoSuchResourceError } from '../errors/no-such-resource.error';
import { RateLimitedError } from '../errors/rate-limited.error';
import { RequestTimeoutError } from '../errors/request-timeout.error';
import { ResourceAlreadyExistsError } from '../errors/resource-already-exists.error';
import { ResourceForbiddenError } from '../errors/resource-forbidden.error';
import { VerigatorError } from '../errors/verigator.error';
import { WrongCredentialsError } from '../errors/wrong-credentials.error';

const ERROR_BY_STATUS: Record<number, new (message: string, details: object) => VerigatorError> = {
  400: InvalidDataError,
  401: WrongCredentialsError,
  403: ResourceForbiddenError,
  404: NoSuchResourceError,
  409: ResourceAlreadyExistsError,
  422: InvalidDataError,
};

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);

/**
 * Maps a non-2xx answer to its error class, by status first; the server's `message` is used
 * only when the body is JSON that has one.
 */
export function mapStatusToError(
  statusCode: number,
  body: unknown,
  retryAfterHeader?: string,
): VerigatorError {
  const serverMessage = readMessage(body);
  const message = `Verigator answered ${statusCode}${serverMessage ? `: ${serverMessage}` : ''}`;
  const details = { statusCode, body };
  if (statusCode === 429) {
    return new RateLimitedError(message, {
      ...details,
      retryAfter: parseRetryAfter(retryAfterHeader),
    });
  }
  const ErrorClass =
    ERROR_BY_STATUS[statusCode] ?? (statusCode >= 500 ? InternalError : VerigatorError);
  return new ErrorClass(message, details);
}

/**
 * Maps a failure with no HTTP answer (axios' error `code`) to `RequestTimeoutError` or
 * `ConnectionError`. The cause keeps only the code and message, never the request config.
 */
export function mapTransportError(code: string | undefined, message: string): VerigatorError {
  const cause = Object.assign(new Error(message), { code });
  if (code && TIMEOUT_CODES.has(code)) {
    return new RequestTimeoutError('Verigator did not answer in time', { cause });
  }
  return new ConnectionError(`Verigator could not be reached (${code ?? 'unknown error'})`, {
    cause,
  });
}

function readMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'message' in body) {
    const { message } = body as { message: unknown };
    if (typeof message === 'string' && message.trim() !== '') return message;
  }
  return undefined;
}

function parseRetryAfter(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
