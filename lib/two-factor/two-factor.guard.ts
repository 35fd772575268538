import {
  CanActivate,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Reflector } from '@nestjs/core';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { InvalidDataError, VerigatorError } from '../errors/verigator.error';
import type { TwoFactorEvent } from '../events/two-factor-event';
import { VERIGATOR_CHANNELS } from '../events/verigator-channels';
import { toVerigatorEventError } from '../events/verigator-event-error';
import { VerigatorEventPublisher } from '../events/verigator-event-publisher';
import {
  isVerigatorUnavailable,
  toVerigatorErrorResponse,
} from '../filters/verigator-error-response';
import { describeForLog, logVerigatorError } from '../logging/log-verigator-error';
import { isOutcomeUnknown } from '../http/resilience/operation-safety';
import { AUTH_METHODS, AuthMethod, VerificationResult } from '../models/verigator.models';
import { AuthService } from '../services/auth.service';
import { isWellFormedText } from '../validation/rules';
import {
  DEFAULT_TWO_FACTOR_TOKEN_HEADER,
  TWO_FACTOR_METADATA,
  VERIGATOR_TWO_FACTOR_OPTIONS,
} from '../verigator.constants';
import { TwoFactorErrorCode, TwoFactorException } from './two-factor.exception';
import { TwoFactorMetadata } from './two-factor-metadata';
import {
  ResolvedTwoFactorOptions,
  TwoFactorRequest,
  TwoFactorRouteOptions,
} from './two-factor-options.interface';
import { TwoFactorStore } from './stores/two-factor.store';
import { TwoFactorStoreError } from './stores/two-factor-store.error';
import { hasTwoFactorStep, stepGuardOf } from './two-factor-step';
import { TwoFactorStoreKeyKind, twoFactorStoreKey } from './stores/two-factor-store-keys';

/** What a request needs checked: the route's settings with module defaults applied. */
export interface TwoFactorRouteSettings {
  method: AuthMethod;
  serviceId: string;
  maxAge: number;
  smsFallback: 'accept' | 'refuse';
}

/** What the two-factor guards of one request share, kept on the request. */
interface TwoFactorRequestState {
  /** Guard classes whose checks passed. */
  passed: Set<object>;
  /** Guards that left their checks to the route's `@RequireTwoFactor()` step. */
  deferred: TwoFactorGuard[];
  /** Second factors verified during this request: a second guard class need not ask again. */
  proofs: { serviceId: string; userId: string; method: AuthMethod }[];
}

const STATE = Symbol('verigator.twoFactorState');

/** What every `TwoFactorEvent` of a request shares, kept on the request while it is checked. */
const EVENT_SCOPE = Symbol('verigator.twoFactorEventScope');

/** The part of a `TwoFactorEvent` that a step of the guard decides. */
export type TwoFactorEventDetails = Pick<TwoFactorEvent, 'type' | 'outcome'> &
  Partial<Pick<TwoFactorEvent, 'reason' | 'error' | 'method'>>;

interface TwoFactorEventScope {
  startedAt: number;
  settings?: TwoFactorRouteSettings;
  userId?: string;
}

/**
 * Step-up authentication: lets a request through only with a fresh Verigator code.
 * Without token it sends one (at most once per `cooldown`) and answers 401 `TWO_FACTOR_REQUIRED`
 * with the delivery `method`; with a token it verifies it, after a local lockout check.
 * Each step is a protected method to override in a subclass.
 *
 * Which routes it protects: the nearest of `@RequireTwoFactor()` / `@SkipTwoFactor()` (method,
 * else class) decides; with neither, the route is protected with the module defaults. So as a
 * global `APP_GUARD` it protects every route not marked `@SkipTwoFactor()`.
 *
 * Order: `@RequireTwoFactor()` makes it the route's last guard, after every global, class and
 * method guard, and other two-factor guards on that route leave their checks to it. Placed by hand
 * (`@UseGuards()`, `APP_GUARD`) on other routes, it must come after the login guard; the module
 * refuses to start otherwise (`TwoFactorGuardOrderError`).
 * @example
 * @RequireTwoFactor(options) // preferred: after every guard, in any decorator order
 * @UseGuards(LoginGuard, TwoFactorGuard) // the plain guard, last
 * // globally, in the module that imports VerigatorModule, after a global login guard:
 * providers: [{ provide: APP_GUARD, useClass: TwoFactorGuard }]
 */
@Injectable()
export class TwoFactorGuard implements CanActivate {
  protected readonly logger = new Logger('TwoFactorGuard');
  /** Publishes the audit trail (property-injected, so subclass constructors stay unchanged). */
  @Inject(VerigatorEventPublisher) protected readonly events!: VerigatorEventPublisher;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authService: AuthService,
    @Inject(TwoFactorStore) protected readonly store: TwoFactorStore,
    @Inject(VERIGATOR_TWO_FACTOR_OPTIONS) protected readonly options: ResolvedTwoFactorOptions,
  ) {}

  /**
   * Runs this guard class's checks once per request. Where `@RequireTwoFactor()` put its step
   * (the route's last guard), other two-factor guards leave their checks to it, so they run after
   * every guard too; every guard class on the route must pass. Non-HTTP contexts are refused
   * unless exempted.
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return this.getRouteOptions(context) === undefined;
    const request = this.getRequestResponse(context).request as Record<symbol, unknown>;
    const state = (request[STATE] ??= {
      passed: new Set(),
      deferred: [],
      proofs: [],
    }) as TwoFactorRequestState;
    if (stepGuardOf(this.constructor) === undefined) {
      if (hasTwoFactorStep(context.getHandler())) {
        state.deferred.push(this);
        return true;
      }
      return this.decide(context, state);
    }
    for (const guard of state.deferred.splice(0)) {
      if (!(await guard.decide(context, state))) return false;
    }
    return this.decide(context, state);
  }

  /**
   * The route's options from `@RequireTwoFactor()` (method beats class); `{}` without
   * decorator; `undefined` when `@SkipTwoFactor()` exempts the route.
   */
  protected getRouteOptions(context: ExecutionContext): TwoFactorRouteOptions | undefined {
    const metadata = this.reflector.getAllAndOverride<TwoFactorMetadata | undefined>(
      TWO_FACTOR_METADATA,
      [context.getHandler(), context.getClass()],
    );
    if (metadata?.skip) return undefined;
    // A step without metadata sits on a method a subclass's decorator shares with its base class.
    if (metadata === undefined && stepGuardOf(this.constructor)) return undefined;
    return metadata?.options ?? {};
  }

  /** The adapter's request and response (Express or Fastify). */
  protected getRequestResponse(context: ExecutionContext): {
    request: TwoFactorRequest;
    response: TwoFactorRequest;
  } {
    const http = context.switchToHttp();
    return { request: http.getRequest(), response: http.getResponse() };
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
   * The Verigator user id: the `twoFactor.userId` option, else `request.user?.verigatorId`;
   * `undefined` (an unknown user) unless a well-formed non-empty string.
   */
  protected async getUserId(context: ExecutionContext): Promise<string | undefined> {
    const { request } = this.getRequestResponse(context);
    const userId: unknown = this.options.userId
      ? await this.options.userId(request, context)
      : request.user?.verigatorId;
    const id = nonEmptyString(userId);
    return id !== undefined && isWellFormedText(id) ? id : undefined;
  }

  /** The code the user typed: the `twoFactor.token` option, else the `X-Verigator-Token` header. */
  protected async getToken(context: ExecutionContext): Promise<string | undefined> {
    const { request } = this.getRequestResponse(context);
    if (this.options.token) return nonEmptyString(await this.options.token(request, context));
    const header: unknown = request.headers?.[DEFAULT_TWO_FACTOR_TOKEN_HEADER];
    return nonEmptyString(Array.isArray(header) ? header[0] : header);
  }

  /**
   * What a remembered success is bound to besides the user: the `twoFactor.sessionKey` option,
   * else `''` (the user, across sessions); `undefined` (also for text that is not well-formed)
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

  /**
   * The store key of one kind of record; distinct parts can never collide. Keep the
   * `verigator-2fa:<kind>:` prefix when overriding: the in-memory store keeps lockouts and send
   * budgets longest by it (`isTwoFactorSecurityKey`).
   */
  protected generateKey(kind: TwoFactorStoreKeyKind, ...parts: string[]): string {
    return twoFactorStoreKey(kind, ...parts);
  }

  /** The exception answering `code`; override to change bodies beyond `twoFactor.messages`. */
  protected createException(
    code: TwoFactorErrorCode,
    extras: { method?: AuthMethod } = {},
  ): HttpException {
    return new TwoFactorException(code, { message: this.options.messages[code], ...extras });
  }

  /** Decides one request: true to let it through; otherwise throws the answer. */
  protected async check(context: ExecutionContext, route: TwoFactorRouteOptions): Promise<boolean> {
    const settings: TwoFactorRouteSettings = {
      method: route.method ?? this.options.method,
      serviceId: await this.getServiceId(context, route),
      maxAge: route.maxAge ?? this.options.maxAge,
      smsFallback: route.smsFallback ?? this.options.smsFallback,
    };
    if (!settings.serviceId || typeof settings.serviceId !== 'string') {
      const guard = (stepGuardOf(this.constructor) ?? this.constructor).name;
      throw new VerigatorConfigurationError(
        'serviceId',
        `was not found: ${guard}.getServiceId() resolved no service id for ${routeName(context)}`,
      );
    }
    const userId = await this.getUserId(context);
    this.setEventScope(context, settings, userId);
    if (userId === undefined) {
      this.emitEvent(context, { type: 'userUnknown', outcome: 'refused' });
      throw this.createException(TwoFactorErrorCode.USER_UNKNOWN);
    }
    if (this.provenInThisRequest(context, settings, userId)) return true;
    const sessionKey = settings.maxAge > 0 ? await this.getSessionKey(context, userId) : undefined;
    if (sessionKey !== undefined && (await this.isRemembered(settings, userId, sessionKey))) {
      this.emitEvent(context, { type: 'remembered', outcome: 'passed' });
      return true;
    }
    const token = await this.getToken(context);
    if (token === undefined) return this.requireToken(context, settings, userId);
    return this.verifyToken(context, settings, userId, token, sessionKey);
  }

  /**
   * Sends a code unless one is fresh for the route's method (the cooldown claim is atomic, so
   * concurrent requests send one), then answers 401 `TWO_FACTOR_REQUIRED` with the method
   * Verigator used (or 403 `TWO_FACTOR_APP_REQUIRED` when a `totp` route refuses the SMS
   * fallback). Sends nothing while the user is locked out or has spent the send budget (429).
   */
  protected async requireToken(
    context: ExecutionContext,
    settings: TwoFactorRouteSettings,
    userId: string,
  ): Promise<boolean> {
    await this.refuseWhileLocked(context, settings, userId);
    const key = this.generateKey('cooldown', settings.serviceId, userId, settings.method);
    const claimed = await this.store.setIfAbsent(key, settings.method, this.options.cooldown);
    if (!claimed) {
      this.emitEvent(context, { type: 'sendRefused', outcome: 'refused', reason: 'cooldown' });
      const record = await this.store.get(key);
      throw this.codeSent(settings, toAuthMethod(record?.value) ?? settings.method);
    }
    await this.spendSendBudget(context, settings, userId, key);
    const smsKey = this.generateKey('sms', settings.serviceId, userId);
    let used: AuthMethod;
    try {
      used = await this.authService.initiate(settings.serviceId, userId, settings.method);
    } catch (error) {
      await this.store.delete(key);
      if (!isOutcomeUnknown(error)) {
        await this.store.decrement(this.generateKey('sends', settings.serviceId, userId));
      } else {
        // An SMS may have gone out; none of a TOTP route's own.
        await this.store.set(smsKey, AuthMethod.SMS, this.options.smsCodeLifetime);
      }
      return this.onVerigatorError(error, context, userId);
    }
    await Promise.all([
      this.store.set(key, used, this.options.cooldown),
      // The value is the route method that asked: a TOTP route may accept its own fallback.
      used === AuthMethod.SMS &&
        this.store.set(smsKey, settings.method, this.options.smsCodeLifetime),
    ]);
    this.emitEvent(context, { type: 'codeSent', outcome: 'refused', method: used });
    throw this.codeSent(settings, used);
  }

  /** Answers 429 `TWO_FACTOR_LOCKED` when the user has no attempt left, so no code is sent. */
  protected async refuseWhileLocked(
    context: ExecutionContext,
    settings: TwoFactorRouteSettings,
    userId: string,
  ): Promise<void> {
    const attempts = await this.store.get(this.generateKey('attempts', settings.serviceId, userId));
    if (attempts !== undefined && Number(attempts.value) >= this.options.maxAttempts) {
      throw this.tooMany(context, TwoFactorErrorCode.LOCKED, attempts.ttlMs);
    }
  }

  /** Counts one send in the user's budget; past `maxSends`, 429 `TWO_FACTOR_SEND_LIMITED`. */
  protected async spendSendBudget(
    context: ExecutionContext,
    settings: TwoFactorRouteSettings,
    userId: string,
    cooldownKey: string,
  ): Promise<void> {
    const sendsKey = this.generateKey('sends', settings.serviceId, userId);
    const sends = await this.store.increment(sendsKey, this.options.sendWindow);
    if (sends.count > this.options.maxSends) {
      await this.store.delete(cooldownKey);
      throw this.tooMany(context, TwoFactorErrorCode.SEND_LIMITED, sends.ttlMs);
    }
  }

  /**
   * The method a verified token will count as: on an `sms` route `sms`; on a `totp` route `totp`,
   * or `sms` when the route accepted Verigator's SMS fallback. A `totp` route refuses to verify
   * (429 `TWO_FACTOR_SMS_PENDING`) while another SMS code this app sent may be valid: Verigator's
   * answer would not say which factor matched.
   */
  protected async methodOfToken(
    context: ExecutionContext,
    settings: TwoFactorRouteSettings,
    userId: string,
  ): Promise<AuthMethod> {
    if (settings.method === AuthMethod.SMS) return AuthMethod.SMS;
    const pending = await this.store.get(this.generateKey('sms', settings.serviceId, userId));
    if (pending === undefined) return AuthMethod.TOTP;
    if (settings.smsFallback === 'accept' && pending.value === AuthMethod.TOTP)
      return AuthMethod.SMS;
    throw this.tooMany(context, TwoFactorErrorCode.SMS_PENDING, pending.ttlMs);
  }

  /**
   * Counts the attempt (429 `TWO_FACTOR_LOCKED` past `maxAttempts`, without calling Verigator),
   * then verifies the token. An attempt whose outcome is unknown (timeout, connection reset)
   * stays counted and ends the cooldowns, as the code may be spent; other failures are given
   * back. A success ends the user's pending codes and is remembered (`maxAge`) as the method it
   * counts as, and every method it outranks.
   */
  protected async verifyToken(
    context: ExecutionContext,
    settings: TwoFactorRouteSettings,
    userId: string,
    token: string,
    sessionKey: string | undefined,
  ): Promise<boolean> {
    const countsAs = await this.methodOfToken(context, settings, userId);
    const attemptsKey = this.generateKey('attempts', settings.serviceId, userId);
    const attempts = await this.store.increment(attemptsKey, this.options.window);
    if (attempts.count > this.options.maxAttempts) {
      throw this.tooMany(context, TwoFactorErrorCode.LOCKED, attempts.ttlMs);
    }
    let result: VerificationResult;
    try {
      result = await this.authService.verify(settings.serviceId, userId, token);
    } catch (error) {
      if (isMalformedToken(error)) {
        this.emitEvent(context, { type: 'failed', outcome: 'refused', reason: 'malformed' });
        throw this.createException(TwoFactorErrorCode.INVALID);
      }
      if (isOutcomeUnknown(error)) await this.endPendingCodes(settings, userId, false);
      else await this.store.decrement(attemptsKey);
      return this.onVerigatorError(error, context, userId, token);
    }
    if (result.verified) {
      const now = String(Date.now());
      await Promise.all([
        this.store.delete(attemptsKey),
        this.endPendingCodes(settings, userId, true),
        ...(sessionKey === undefined ? [] : AUTH_METHODS)
          .filter((method) => outranks(countsAs, method))
          .map((method) =>
            this.store.set(
              this.generateKey('success', settings.serviceId, userId, method, sessionKey!),
              now,
              settings.maxAge,
            ),
          ),
      ]);
      this.requestState(context)?.proofs.push({
        serviceId: settings.serviceId,
        userId,
        method: countsAs,
      });
      this.emitEvent(context, { type: 'verified', outcome: 'passed' });
      return true;
    }
    if (result.status?.throttled || result.status?.expired) {
      await this.endPendingCodes(settings, userId, true);
      const reason = result.status.throttled ? 'throttled' : 'expired';
      this.emitEvent(context, { type: 'failed', outcome: 'refused', reason });
      throw this.createException(
        result.status.throttled ? TwoFactorErrorCode.THROTTLED : TwoFactorErrorCode.EXPIRED,
      );
    }
    this.emitEvent(context, { type: 'failed', outcome: 'refused', reason: 'invalid' });
    throw this.createException(TwoFactorErrorCode.INVALID);
  }

  /** A 429 answer (`LOCKED`, `SEND_LIMITED` or `SMS_PENDING`) with `Retry-After` from the record's time left. */
  protected tooMany(
    context: ExecutionContext,
    code: TwoFactorErrorCode,
    ttlMs: number,
  ): HttpException {
    const { response } = this.getRequestResponse(context);
    response.header('Retry-After', String(Math.max(1, Math.ceil(ttlMs / 1000))));
    this.emitEvent(context, TOO_MANY_EVENTS[code] ?? { type: 'lockedOut', outcome: 'refused' });
    return this.createException(code);
  }

  /**
   * Handles a failed Verigator call: with `failOpen` and Verigator unavailable, logs a warning and
   * lets the request through; otherwise logs the error and fails closed with the status
   * `VerigatorExceptionFilter` would answer.
   */
  protected onVerigatorError(
    error: unknown,
    context: ExecutionContext,
    userId: string,
    token?: string,
  ): boolean {
    if (!(error instanceof VerigatorError)) throw error;
    const route = routeName(context);
    const secrets = token === undefined ? [] : [token, token.replace(/\s/g, '')];
    const unavailable = isVerigatorUnavailable(error);
    const passed = this.options.failOpen && unavailable;
    this.emitEvent(context, {
      type: unavailable ? 'unavailable' : 'verigatorError',
      outcome: passed ? 'passed' : 'refused',
      error: toVerigatorEventError(error),
    });
    if (passed) {
      this.logger.warn(
        describeForLog(
          `failOpen: letting ${route} through for user ${userId} without a second factor, ` +
            `as Verigator failed: ${JSON.stringify(error.toJSON())}`,
          secrets,
        ),
      );
      return true;
    }
    const answer = toVerigatorErrorResponse(error, this.options.errorMessages);
    logVerigatorError(
      this.logger,
      `Verigator failed for ${route}, user ${userId}: `,
      error,
      secrets,
    );
    if (answer.retryAfter !== undefined) {
      this.getRequestResponse(context).response.header('Retry-After', String(answer.retryAfter));
    }
    throw new HttpException(answer.body, answer.statusCode);
  }

  /**
   * Fails closed when the store failed (`TwoFactorStoreError`): logs it and answers 503
   * `TWO_FACTOR_UNAVAILABLE`, even with `failOpen` (which concerns Verigator). Rethrows others.
   */
  protected onStoreError(error: unknown, context: ExecutionContext): never {
    if (!(error instanceof TwoFactorStoreError)) throw error;
    this.logger.error(`TwoFactorStore failed for ${routeName(context)}: ${error.message}`);
    this.emitEvent(context, { type: 'storeUnavailable', outcome: 'refused' });
    throw this.createException(TwoFactorErrorCode.UNAVAILABLE);
  }

  /**
   * Publishes a `TwoFactorEvent` for this request (route, user, method and latency filled in);
   * costs nothing when no one listens, and listeners can never fail the request.
   */
  protected emitEvent(context: ExecutionContext, details: TwoFactorEventDetails): void {
    if (!this.events?.isObserved(VERIGATOR_CHANNELS.guardDecision)) return;
    const { request } = this.getRequestResponse(context);
    const scope = (request as Record<symbol, TwoFactorEventScope | undefined>)[EVENT_SCOPE];
    if (scope?.settings === undefined) return;
    this.events.publish({
      route: routeName(context),
      serviceId: scope.settings.serviceId,
      userId: scope.userId,
      method: scope.settings.method,
      latencyMs: Math.round((performance.now() - scope.startedAt) * 100) / 100,
      ...details,
    });
  }

  /** Runs this guard class's checks unless they passed already on this request. */
  private async decide(context: ExecutionContext, state: TwoFactorRequestState): Promise<boolean> {
    const route = this.getRouteOptions(context);
    if (route === undefined) return true;
    const guardClass = stepGuardOf(this.constructor) ?? this.constructor;
    if (state.passed.has(guardClass)) return true;
    const request = this.getRequestResponse(context).request as Record<symbol, unknown>;
    request[EVENT_SCOPE] = { startedAt: performance.now() };
    const passed = await this.check(context, route).catch((error: unknown) =>
      this.onStoreError(error, context),
    );
    if (passed) state.passed.add(guardClass);
    return passed;
  }

  private setEventScope(
    context: ExecutionContext,
    settings: TwoFactorRouteSettings,
    userId: string | undefined,
  ): void {
    const { request } = this.getRequestResponse(context);
    const scope = (request as Record<symbol, TwoFactorEventScope | undefined>)[EVENT_SCOPE];
    if (scope !== undefined) Object.assign(scope, { settings, userId });
  }

  private requestState(context: ExecutionContext): TwoFactorRequestState | undefined {
    const { request } = this.getRequestResponse(context);
    return (request as Record<symbol, TwoFactorRequestState | undefined>)[STATE];
  }

  /** True when another guard class verified this user's code for this service in this request. */
  private provenInThisRequest(
    context: ExecutionContext,
    settings: TwoFactorRouteSettings,
    userId: string,
  ): boolean {
    const proofs = this.requestState(context)?.proofs ?? [];
    return proofs.some(
      (proof) =>
        proof.serviceId === settings.serviceId &&
        proof.userId === userId &&
        outranks(proof.method, settings.method),
    );
  }

  /** True when a success that counts for the route's method is remembered for this session. */
  private async isRemembered(
    settings: TwoFactorRouteSettings,
    userId: string,
    sessionKey: string,
  ): Promise<boolean> {
    const key = this.generateKey(
      'success',
      settings.serviceId,
      userId,
      settings.method,
      sessionKey,
    );
    const verifiedAt = Number((await this.store.get(key))?.value);
    return Number.isFinite(verifiedAt) && Date.now() - verifiedAt < settings.maxAge;
  }

  /**
   * Ends the cooldowns of every method, so the user can ask for a new code at once, and with
   * `spent`, the pending SMS code too (Verigator has used up or expired the user's code).
   */
  private async endPendingCodes(
    settings: TwoFactorRouteSettings,
    userId: string,
    spent: boolean,
  ): Promise<void> {
    const { serviceId } = settings;
    await Promise.all([
      ...AUTH_METHODS.map((method) =>
        this.store.delete(this.generateKey('cooldown', serviceId, userId, method)),
      ),
      spent && this.store.delete(this.generateKey('sms', serviceId, userId)),
    ]);
  }

  /** 401 `TWO_FACTOR_REQUIRED` with `used`, or 403 when a `totp` route refuses the SMS fallback. */
  private codeSent(settings: TwoFactorRouteSettings, used: AuthMethod): HttpException {
    const refused =
      settings.method === AuthMethod.TOTP &&
      used === AuthMethod.SMS &&
      settings.smsFallback === 'refuse';
    return refused
      ? this.createException(TwoFactorErrorCode.APP_REQUIRED)
      : this.createException(TwoFactorErrorCode.REQUIRED, { method: used });
  }
}

const TOO_MANY_EVENTS: Partial<Record<TwoFactorErrorCode, TwoFactorEventDetails>> = {
  [TwoFactorErrorCode.SEND_LIMITED]: { type: 'sendRefused', outcome: 'refused', reason: 'budget' },
  [TwoFactorErrorCode.SMS_PENDING]: { type: 'failed', outcome: 'refused', reason: 'smsPending' },
};

function routeName(context: ExecutionContext): string {
  return `${context.getClass().name}.${context.getHandler().name}`;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** True when a success as `achieved` satisfies a route that asks for `wanted` (TOTP > SMS). */
function outranks(achieved: AuthMethod, wanted: AuthMethod): boolean {
  return achieved === wanted || achieved === AuthMethod.TOTP;
}

function toAuthMethod(value: string | undefined): AuthMethod | undefined {
  return AUTH_METHODS.find((method) => method === value);
}

/** Local validation rejected only the token: nothing was sent. */
function isMalformedToken(error: unknown): boolean {
  return (
    error instanceof InvalidDataError &&
    error.statusCode === 0 &&
    error.fields.length > 0 &&
    error.fields.every((field) => field.field === 'token')
  );
}
