import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { VerigatorError } from '../errors/verigator.error';
import { toVerigatorErrorResponse } from './verigator-error-response';

/**
 * Answers a `VerigatorError` with the Nest error shape `{ statusCode, error, message, code }`
 * (status from `httpStatusForVerigatorError`), adding `Retry-After` for rate limiting, and logs
 * the error. Works with Express and Fastify.
 * @example
 * // per controller (or route)
 * @UseFilters(VerigatorExceptionFilter)
 * // globally
 * app.useGlobalFilters(new VerigatorExceptionFilter(app.get(HttpAdapterHost)));
 * // or, in a module: { provide: APP_FILTER, useClass: VerigatorExceptionFilter }
 */
@Catch(VerigatorError)
export class VerigatorExceptionFilter implements ExceptionFilter<VerigatorError> {
  protected readonly logger = new Logger('VerigatorExceptionFilter');

  constructor(protected readonly httpAdapterHost: HttpAdapterHost) {}

  catch(error: VerigatorError, host: ArgumentsHost): void {
    const { statusCode, body, retryAfter } = toVerigatorErrorResponse(error);
    const log = JSON.stringify(error.toJSON());
    if (statusCode >= 500) this.logger.error(log);
    else this.logger.warn(log);
    const { httpAdapter } = this.httpAdapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    if (retryAfter !== undefined) {
      httpAdapter.setHeader(response, 'Retry-After', String(retryAfter));
    }
    httpAdapter.reply(response, body, statusCode);
  }
}
