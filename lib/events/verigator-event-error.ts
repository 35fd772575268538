/**
 * What an event says about a failure: the error's class, stable code and upstream status.
 * Never its message nor body, which may carry upstream text or personal data.
 */
export interface VerigatorEventError {
  /** The error's class name, e.g. `RequestTimeoutError`. */
  name: string;
  /** The error's stable `code`, e.g. `REQUEST_TIMEOUT`; `'UNKNOWN'` for a non-library error. */
  code: string;
  /** Upstream HTTP status; 0 when no answer came (timeout, connection failure, bad input). */
  statusCode: number;
}

/** The safe summary of `error` for an event. */
export function toVerigatorEventError(error: unknown): VerigatorEventError {
  const { name, code, statusCode } = (error ?? {}) as Record<string, unknown>;
  return {
    name: typeof name === 'string' ? name : 'Error',
    code: typeof code === 'string' ? code : 'UNKNOWN',
    statusCode: typeof statusCode === 'number' ? statusCode : 0,
  };
}
