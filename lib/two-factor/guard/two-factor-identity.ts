import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { graphQLRequestResponse } from '../../integrations/transport-errors';
import { isWellFormedText } from '../../validation/rules';
import {
  DEFAULT_TWO_FACTOR_TOKEN_HEADER,
  RECOVERY_CODE_HEADER,
  TWO_FACTOR_METADATA,
} from '../../verigator.constants';
import { TwoFactorMetadata } from '../two-factor-metadata';
import {
  ResolvedTwoFactorOptions,
  TwoFactorRequest,
  TwoFactorRouteOptions,
} from '../two-factor-options.interface';
import { stepGuardOf } from '../two-factor-step';

/**
 * Who and what `TwoFactorGuard` checks, read from the request: the route's options, the service,
 * the user, the token and the session. Each is a protected method to override in a subclass of
 * the guard; the defaults follow the `twoFactor` readers.
 */
export abstract class TwoFactorIdentity {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly options: ResolvedTwoFactorOptions,
  ) {}

  /**
   * Each route's options once read, by handler and then class (a subclass's route may share its
   * handler with its base class's): decorators are read at startup, not on every request.
   */
  private readonly routes = new WeakMap<object, Map<object, TwoFactorRouteOptions | undefined>>();

  /** The route's options (method beats class); `{}` without decorator; `undefined` when skipped. */
  protected getRouteOptions(context: ExecutionContext): TwoFactorRouteOptions | undefined {
    const handler = context.getHandler();
    const type = context.getClass();
    let byClass = this.routes.get(handler);
    if (byClass === undefined) this.routes.set(handler, (byClass = new Map()));
    if (byClass.has(type)) return byClass.get(type);
    const metadata = this.reflector.getAllAndOverride<TwoFactorMetadata | undefined>(
      TWO_FACTOR_METADATA,
      [handler, type],
    );
    // A step without metadata sits on a method a subclass's decorator shares with its base class.
    const skipped = metadata?.skip || (metadata === undefined && stepGuardOf(this.constructor));
    const options = skipped ? undefined : (metadata?.options ?? {});
    byClass.set(type, options);
    return options;
  }

  /** The adapter's request and response (Express or Fastify), also behind a GraphQL resolver. */
  protected getRequestResponse(context: ExecutionContext): {
    request: TwoFactorRequest;
    response: TwoFactorRequest;
  } {
    if (context.getType<string>() === 'graphql') {
      const { request = {}, response = { header() {} } } = graphQLRequestResponse(context);
      return { request, response };
    }
    const held = context as ExecutionContext & { [EXCHANGE]?: TwoFactorExchange };
    if (held[EXCHANGE] === undefined) {
      const http = context.switchToHttp();
      held[EXCHANGE] = { request: http.getRequest(), response: http.getResponse() };
    }
    return held[EXCHANGE];
  }

  /**
   * The Verigator service id: the route's, else the module's. Override it to resolve one per
   * request (e.g. per tenant); the module then lets routes without one start.
   */
  protected async getServiceId(
    _context: ExecutionContext,
    route: TwoFactorRouteOptions,
  ): Promise<string> {
    return route.serviceId ?? this.options.serviceId ?? '';
  }

  /**
   * The Verigator user id: the `twoFactor.userId` reader, else `request.user?.verigatorId`;
   * `undefined` (an unknown user) unless well-formed non-empty text.
   */
  protected async getUserId(context: ExecutionContext): Promise<string | undefined> {
    const { request } = this.getRequestResponse(context);
    const id = nonEmpty(
      this.options.userId ? await this.options.userId(request, context) : request.user?.verigatorId,
    );
    return id !== undefined && isWellFormedText(id) ? id : undefined;
  }

  /** The code the user typed: the `twoFactor.token` reader, else the `X-Verigator-Token` header. */
  protected async getToken(context: ExecutionContext): Promise<string | undefined> {
    const { request } = this.getRequestResponse(context);
    if (this.options.token) return nonEmpty(await this.options.token(request, context));
    return header(request, DEFAULT_TWO_FACTOR_TOKEN_HEADER);
  }

  /** A recovery code the user typed: the `X-Verigator-Recovery-Code` header. */
  protected async getRecoveryCode(context: ExecutionContext): Promise<string | undefined> {
    return header(this.getRequestResponse(context).request, RECOVERY_CODE_HEADER);
  }

  /**
   * What a remembered success is bound to besides the user: the `twoFactor.sessionKey` reader,
   * else `''` (the user across sessions); `undefined`, also for text that is not well-formed,
   * remembers nothing.
   */
  protected async getSessionKey(
    context: ExecutionContext,
    _userId: string,
  ): Promise<string | undefined> {
    if (!this.options.sessionKey) return '';
    const { request } = this.getRequestResponse(context);
    const key: unknown = await this.options.sessionKey(request, context);
    return typeof key === 'string' && isWellFormedText(key) ? key : undefined;
  }
}

interface TwoFactorExchange {
  request: TwoFactorRequest;
  response: TwoFactorRequest;
}

/**
 * Where an HTTP context keeps its request and response once read: the guard asks for them several
 * times a request, and every `switchToHttp()` assigns three new closures to the context.
 */
const EXCHANGE = Symbol('verigator.twoFactorExchange');

/** A request header's (first) value, unless empty. */
function header(request: TwoFactorRequest, name: string): string | undefined {
  const value: unknown = request.headers?.[name];
  return nonEmpty(Array.isArray(value) ? value[0] : value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
