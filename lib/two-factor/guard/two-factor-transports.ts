import { ExecutionContext, HttpException, LoggerService } from '@nestjs/common';
import {
  ErrorAnswerBody,
  TWO_FACTOR_UNSUPPORTED,
  graphQLRequestResponse,
  toGraphQLError,
  toTransportException,
} from '../../integrations/transport-errors';
import { TwoFactorRouteOptions } from '../two-factor-options.interface';
import { routeName } from './two-factor-answers';

/*
 * The guard outside plain HTTP:
 * 1. A GraphQL resolver reached over HTTP is checked on that request, and refused with a GraphQL
 *    error: our message, and `code`, `statusCode` (and `method`) in `extensions`. The checks of a
 *    document's resolvers take turns (a query's start at once), so a code one of them verified
 *    serves the next instead of being sent to Verigator again: a code is single-use.
 * 2. WebSocket messages and RPC calls carry no one-time code: a handler the guard protects is
 *    refused, fail-closed, as a `WsException` / `RpcException` with `TWO_FACTOR_UNSUPPORTED`
 *    (`false`, Nest's 403, for other transports or a GraphQL operation without HTTP request), and
 *    a warning names the handler. Exempted (`@SkipTwoFactor()`) handlers pass.
 */

/** Whether the guard can check this context on an HTTP request (rule 1). */
export function isGraphQLOverHttp(context: ExecutionContext): boolean {
  return context.getType<string>() === 'graphql' && !!graphQLRequestResponse(context).request;
}

const TURN = Symbol('verigator.twoFactorTurn');

/**
 * `decide` for a resolver (rule 1): each call once the checks of the request's earlier resolvers
 * have settled, a refusal rethrown as the GraphQL error.
 */
export function inTurn<Guard>(
  context: ExecutionContext,
  decide: (guard: Guard) => Promise<boolean>,
): (guard: Guard) => Promise<boolean> {
  const held = graphQLRequestResponse(context).request as Record<symbol, Promise<unknown>>;
  return (guard) => {
    const run = () => decide(guard);
    const turn = (held[TURN] ?? Promise.resolve()).then(run, run);
    held[TURN] = turn;
    return turn.catch(throwAsGraphQLError);
  };
}

/** Rethrows a refusal (our HTTP exception with a `code`) as the GraphQL error (rule 1). */
function throwAsGraphQLError(error: unknown): never {
  const body = error instanceof HttpException ? error.getResponse() : undefined;
  if (typeof body !== 'object' || typeof (body as Partial<ErrorAnswerBody>).code !== 'string') {
    throw error;
  }
  throw toGraphQLError(body as ErrorAnswerBody);
}

/** Lets an exempted handler through; refuses the others (rule 2). */
export function refuseOutsideHttp(
  context: ExecutionContext,
  route: TwoFactorRouteOptions | undefined,
  logger: LoggerService,
): boolean {
  if (route === undefined) return true;
  logger.warn(
    `${routeName(context)} is refused: one-time codes are asked on HTTP requests and GraphQL ` +
      'over HTTP only. Mark it @SkipTwoFactor() if it needs no second factor.',
  );
  const exception = toTransportException(context.getType(), {
    code: TWO_FACTOR_UNSUPPORTED,
    message: 'Two-factor authentication needs an HTTP request; this message is refused',
  });
  if (exception) throw exception;
  return false;
}
