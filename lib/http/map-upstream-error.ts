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

/**
 * Timeouts below the call's deadline: the operating system's or undici's connect, headers and
 * body timeouts, and axios' own `timeout` (`ECONNABORTED`) when an overriding HttpService sets one.
 */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** undici's codes for a connection that broke, under the name Node gives the same failure. */
const NODE_CODE_OF: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_DESTROYED: 'ECONNRESET',
};

/** What an abort is called by undici (`AbortError`, `UND_ERR_ABORTED`) and axios (`ERR_CANCELED`). */
const ABORT_CODES: ReadonlySet<string> = new Set(['ABORT_ERR', 'ERR_CANCELED', 'UND_ERR_ABORTED']);

/** The code of an answer refused unread (a body over the size cap), by our adapter or axios'. */
export const OVERSIZED_BODY_CODE = 'ERR_BAD_RESPONSE';

/**
 * Range `retryAfter` is clamped to, in seconds: a hostile or broken upstream cannot make callers
 * wait forever (`1e308`) nor go negative. One hour is longer than any real rate-limit window.
 */
export const RETRY_AFTER_RANGE = { min: 0, max: 3600 } as const;

/**
 * Maps a non-2xx answer to its error class, by status first; the server's `message` is used
 * only when the body is JSON that has one, else `detail` (what the body was, never its text).
 */
export function mapStatusToError(
  statusCode: number,
  body: unknown,
  retryAfterHeader?: string,
  detail?: string,
): VerigatorError {
  const said = readMessage(body) ?? detail;
  const message = `Verigator answered ${statusCode}${said ? `: ${said}` : ''}`;
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
 * Maps a failure with no usable HTTP answer, whoever raised it (undici, Node, axios), to
 * `RequestTimeoutError` (aborted by the call's deadline, or a timeout below it), `InvalidResponseError`
 * (a body over the size cap) or `ConnectionError`. Messages name the endpoint's `host`, never
 * credentials (the options refuse them in endpoints); the cause keeps only the code, the host
 * and the message, never the request config.
 */
export function mapTransportError(
  error: unknown,
  host: string,
  deadlinePassed: boolean,
): VerigatorError {
  const raw = readCode(error);
  const aborted = (error as Error | undefined)?.name === 'AbortError' || ABORT_CODES.has(raw ?? '');
  const code = (raw && NODE_CODE_OF[raw]) ?? raw;
  const cause = Object.assign(new Error(String((error as Error | undefined)?.message)), {
    code,
    hostname: host,
  });
  if ((aborted && deadlinePassed) || TIMEOUT_CODES.has(code ?? '')) {
    return new RequestTimeoutError(`Verigator at ${host} did not answer in time`, { cause });
  }
  if (code === OVERSIZED_BODY_CODE) {
    return new InvalidResponseError(
      `Verigator at ${host} answered with an unreadable or oversized body`,
      { cause },
    );
  }
  return new ConnectionError(
    `Verigator at ${host} could not be reached (${code ?? 'unknown error'})`,
    { cause },
  );
}

/** The error's code, or its cause's (fetch and some undici errors keep it there). */
function readCode(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof cause?.code === 'string' ? cause.code : undefined;
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
