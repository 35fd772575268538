import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { VerigatorError } from '../errors/verigator.error';
import {
  ErrorAnswerBody,
  answerInTransport,
  toGraphQLError,
  toTransportException,
} from '../integrations/transport-errors';
import { logVerigatorError } from '../logging/log-verigator-error';
import { VERIGATOR_OPTIONS } from '../verigator.constants';
import { sendErrorReply } from './send-error-reply';
import {
  toVerigatorErrorResponse,
  VERIGATOR_ERROR_MESSAGES,
  VerigatorErrorCode,
  VerigatorErrorResponse,
} from './verigator-error-response';

/**
 * Answers a `VerigatorError` with the Nest error shape `{ statusCode, error, message, code }`
 * (status from `httpStatusForVerigatorError`, message from `VERIGATOR_ERROR_MESSAGES` or the
 * `errorMessages` option, never the upstream text), adding `Retry-After` for rate limiting, and
 * logs the error with personal data masked. Works with Express and Fastify, made by Nest or `new`.
 * In a GraphQL resolver it throws a GraphQL error (the message; `code`, `statusCode` and the rest
 * of the body in `extensions`); in a WebSocket gateway or an RPC handler it answers a
 * `WsException` / `RpcException` carrying `{ status: 'error', ...body }`; in any other context the
 * error goes on unchanged, as with Nest's default filter.
 * @example
 * // per controller (or route)
 * @UseFilters(VerigatorExceptionFilter) // or @UseFilters(new VerigatorExceptionFilter())
 * // globally
 * app.useGlobalFilters(new VerigatorExceptionFilter());
 * // or, in a module: { provide: APP_FILTER, useClass: VerigatorExceptionFilter }
 */
@Catch(VerigatorError)
export class VerigatorExceptionFilter implements ExceptionFilter<VerigatorError> {
  protected readonly logger = new Logger('VerigatorExceptionFilter');
  /** The end-user message by error code. */
  protected readonly messages: Readonly<Record<VerigatorErrorCode, string>>;

  constructor(
    @Optional() protected readonly httpAdapterHost?: HttpAdapterHost,
    @Optional()
    @Inject(VERIGATOR_OPTIONS)
    options?: { errorMessages?: Readonly<Record<VerigatorErrorCode, string>> },
  ) {
    this.messages = options?.errorMessages ?? VERIGATOR_ERROR_MESSAGES;
  }

  catch(error: VerigatorError, host: ArgumentsHost): unknown {
    const answer = this.buildResponse(error);
    logVerigatorError(this.logger, '', error);
    const type = host.getType<string>();
    if (type !== 'http') {
      const { retryAfter } = answer;
      const body = { ...answer.body, ...(retryAfter !== undefined && { retryAfter }) };
      return answerOutsideHttp(type, error, body, host);
    }
    const headers: Record<string, string> =
      answer.retryAfter === undefined ? {} : { 'Retry-After': String(answer.retryAfter) };
    const response: unknown = host.switchToHttp().getResponse();
    sendErrorReply(
      response,
      answer.statusCode,
      answer.body,
      headers,
      this.httpAdapterHost?.httpAdapter,
    );
  }

  /** The status, body and `Retry-After` to answer with; override to change the answer. */
  protected buildResponse(error: VerigatorError): VerigatorErrorResponse {
    return toVerigatorErrorResponse(error, this.messages);
  }
}

/** GraphQL: a GraphQL error; WebSocket, RPC: the transport's exception; else `error` unchanged. */
function answerOutsideHttp(
  type: string,
  error: VerigatorError,
  body: ErrorAnswerBody,
  host: ArgumentsHost,
): unknown {
  if (type === 'graphql') throw toGraphQLError(body);
  const exception = toTransportException(type, body);
  if (exception === undefined) throw error;
  return answerInTransport(type, exception, host);
}
