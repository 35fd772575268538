/** What a `VerigatorError` is built from. */
export interface VerigatorErrorDetails {
  /** Upstream HTTP status; 0 (the default) when no answer came. */
  statusCode?: number;
  /** The upstream body when it was JSON (bounded, secrets masked); a body that is not JSON is not kept. */
  body?: unknown;
  /** The underlying failure, already stripped of request headers. */
  cause?: unknown;
}

/**
 * Base class of every error the library throws for a Verigator call.
 * Catch it to handle any Verigator failure; check `instanceof` a subclass or `code` for one kind.
 * Never carries credentials: not in `message`, `body`, `cause` nor its JSON form.
 */
export class VerigatorError extends Error {
  /** Stable machine-readable kind, e.g. `NO_SUCH_RESOURCE`. */
  readonly code: string = 'VERIGATOR_ERROR';
  /** Upstream HTTP status, or 0 when there was no answer (timeout, connection failure, bad input). */
  readonly statusCode: number;
  /**
   * The upstream body when it was JSON (bounded, secrets masked); `undefined` when empty or not
   * JSON (the message then says what it was: content type and size, never its text).
   */
  readonly body: unknown;

  constructor(message: string, details: VerigatorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.statusCode = details.statusCode ?? 0;
    this.body = details.body;
  }

  /** A plain form for logs and JSON, without the stack. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      statusCode: this.statusCode,
      message: this.message,
      body: this.body,
    };
  }
}
