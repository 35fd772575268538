import {
  ConnectionError,
  InternalError,
  InvalidDataError,
  InvalidResponseError,
  NoSuchResourceError,
  RateLimitedError,
  RequestTimeoutError,
  ResourceAlreadyExistsError,
  ResourceForbiddenError,
  VerigatorError,
  WrongCredentialsError,
} from '../errors/verigator.error';

const ERROR_BY_STATUS: Record<number, new (message: string, details: object) => VerigatorError> = {
  400: InvalidDataError,
  401: WrongCredentialsError,
  403: ResourceForbiddenError,
  404: NoSuchResourceError,
  409: ResourceAlreadyExistsError,
  422: InvalidDataError,
};

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);

/** Axios' code for an answer it refused to read: here, a body over the 1 MiB cap. */
const BAD_RESPONSE_CODE = 'ERR_BAD_RESPONSE';

/**
 * Range `retryAfter` is clamped to, in seconds: a hostile or broken upstream cannot make callers
 * wait forever (`1e308`) nor go negative. One hour is longer than any real rate-limit window.
 */
export const RETRY_AFTER_RANGE = { min: 0, max: 3600 } as const;

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
 * Maps a failure with no usable HTTP answer (axios' error `code`) to `RequestTimeoutError`,
 * `InvalidResponseError` (a body over the size cap) or `ConnectionError`. The cause keeps only
 * the code and message, never the request config.
 */
export function mapTransportError(code: string | undefined, message: string): VerigatorError {
  const cause = Object.assign(new Error(message), { code });
  if (code === BAD_RESPONSE_CODE) {
    return new InvalidResponseError('Verigator answered with an unreadable or oversized body', {
      cause,
    });
  }
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
  if (!header || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (!Number.isNaN(seconds)) return clampRetryAfter(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : clampRetryAfter((date - Date.now()) / 1000);
}

function clampRetryAfter(seconds: number): number {
  return Math.min(RETRY_AFTER_RANGE.max, Math.max(RETRY_AFTER_RANGE.min, Math.ceil(seconds)));
}
