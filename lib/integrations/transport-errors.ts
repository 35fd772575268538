import { ArgumentsHost, ExecutionContext } from '@nestjs/common';

/*
 * Our error answers outside plain HTTP, in each transport's own idiom. The transports' packages
 * are optional peers, loaded only when a request of that kind arrives (so they are installed).
 *   graphql  a GraphQLError: the message, and in `extensions` the rest of the HTTP body (`code`,
 *            `statusCode`, `fields`, `method`, `retryAfter`): the code is ours, not Apollo's.
 *   ws       a WsException carrying `{ status: 'error', ...body }`: the client's 'exception' event.
 *   rpc      an RpcException carrying the same object: the caller's error.
 */

/** An error answer: the HTTP body the filter or the guard would send. */
export interface ErrorAnswerBody {
  message: string;
  code: string;
  [key: string]: unknown;
}

/** The code a guarded WebSocket message or RPC handler is refused with (no one-time codes there). */
export const TWO_FACTOR_UNSUPPORTED = 'TWO_FACTOR_UNSUPPORTED';

/** The GraphQL error for an answer: the message, and the rest of the body as `extensions`. */
export function toGraphQLError(body: ErrorAnswerBody): Error {
  const { message, ...extensions } = body;
  const { GraphQLError } = loadPeer<typeof import('graphql')>('graphql', 'GraphQL');
  return new GraphQLError(message, { extensions });
}

/** The WebSocket or RPC exception for an answer; `undefined` for another context type. */
export function toTransportException(type: string, body: ErrorAnswerBody): Error | undefined {
  const payload = { status: 'error', ...body };
  if (type === 'ws') {
    const { WsException } = loadPeer<typeof import('@nestjs/websockets')>(
      '@nestjs/websockets',
      'WebSocket gateways',
    );
    return new WsException(payload);
  }
  if (type === 'rpc') {
    const { RpcException } = loadPeer<typeof import('@nestjs/microservices')>(
      '@nestjs/microservices',
      'microservices',
    );
    return new RpcException(payload);
  }
  return undefined;
}

/**
 * Answers `exception` (made by `toTransportException`) the way Nest's own WebSocket or RPC
 * exception filter would: the 'exception' event to the socket, an error to the RPC caller.
 */
export function answerInTransport(type: string, exception: Error, host: ArgumentsHost): unknown {
  if (type === 'ws') {
    const { BaseWsExceptionFilter } = loadPeer<typeof import('@nestjs/websockets')>(
      '@nestjs/websockets',
      'WebSocket gateways',
    );
    return new BaseWsExceptionFilter().catch(exception, host);
  }
  const { BaseRpcExceptionFilter } = loadPeer<typeof import('@nestjs/microservices')>(
    '@nestjs/microservices',
    'microservices',
  );
  return new BaseRpcExceptionFilter().catch(exception, host);
}

/**
 * The HTTP request and response behind a GraphQL resolver: the context's `req` (Apollo and
 * Mercurius put it there), and `res`, Mercurius' `reply` or Express' `req.res`.
 */
export function graphQLRequestResponse<Request extends object>(
  context: ExecutionContext,
): { request?: Request; response?: Request } {
  const graphQLContext = context.getArgByIndex<Record<string, unknown> | undefined>(2);
  const request = (graphQLContext?.req ?? graphQLContext?.request) as
    (Request & { res?: Request }) | undefined;
  const response = (graphQLContext?.res ?? graphQLContext?.reply ?? request?.res) as
    Request | undefined;
  return { request, response };
}

/** Loads an optional peer package. @throws Error naming the package to install. */
function loadPeer<T>(name: string, usedFor: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (error) {
    throw new Error(
      `nestjs-verigator needs the optional peer dependency ${name} for ${usedFor}: ` +
        `npm install ${name}`,
      { cause: error },
    );
  }
}
