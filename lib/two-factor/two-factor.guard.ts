import { CanActivate, ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { VerigatorError } from '../errors/verigator.error';
import { VERIGATOR_CHANNELS } from '../events/verigator-channels';
import { VerigatorEventPublisher } from '../events/verigator-event-publisher';
import { describeForLog, logVerigatorError } from '../logging/log-verigator-error';
import { AuthMethod } from '../models/verigator.models';
import { AuthService } from '../services/auth.service';
import { VERIGATOR_TWO_FACTOR_OPTIONS } from '../verigator.constants';
import * as answers from './guard/two-factor-answers';
import { TwoFactorIdentity } from './guard/two-factor-identity';
import { TwoFactorLimits } from './guard/two-factor-limits';
import { TwoFactorRecords } from './guard/two-factor-records';
import { TwoFactorRecovery } from './guard/two-factor-recovery';
import * as transports from './guard/two-factor-transports';
import * as state from './guard/two-factor-request-state';
import { TwoFactorCheck as Check } from './guard/two-factor-request-state';
import { isOutcomeUnknown } from '../http/resilience/operation-safety';
import { TwoFactorStoreKeyKind, twoFactorStoreKey } from '../stores/two-factor-store-keys';
import { TwoFactorStoreError } from '../stores/two-factor-store.error';
import { TwoFactorStore } from '../stores/two-factor.store';
import { TrustedDevices } from '../trusted-devices/trusted-devices';
import { TwoFactorErrorCode, TwoFactorException } from './two-factor.exception';
import { ResolvedTwoFactorOptions, TwoFactorRouteOptions } from './two-factor-options.interface';
import { decideInTurn, stepGuardOf } from './two-factor-step';

/**
 * Step-up authentication: lets a request through only with a fresh second factor. The flow: who
 * (the user) → remembered? → a trusted device? → a recovery code (used up)? → no token: send a
 * code (401); a token: verify it (trust the device if asked) → limits (`TwoFactorLimits`) → answer.
 *
 * Which routes: the nearest `@RequireTwoFactor()` / `@SkipTwoFactor()` (method, else class);
 * with neither, the module defaults. So as a global `APP_GUARD` it protects every route not
 * marked `@SkipTwoFactor()`. `@RequireTwoFactor()` makes it the route's last guard; other
 * two-factor guards on that route leave their checks to it, and every guard class must pass.
 * Placed by hand it must come after the login guard, or the module refuses to start.
 * @example
 * @RequireTwoFactor(options) // preferred: after every guard, in any decorator order
 * providers: [{ provide: APP_GUARD, useClass: TwoFactorGuard }] // after a global login guard
 */
@Injectable()
export class TwoFactorGuard extends TwoFactorIdentity implements CanActivate {
  protected readonly logger = new Logger('TwoFactorGuard');
  /** Publishes the audit trail (property-injected, so subclass constructors stay unchanged). */
  @Inject(VerigatorEventPublisher) protected readonly events!: VerigatorEventPublisher;
  private readonly limits: TwoFactorLimits;
  private readonly records: TwoFactorRecords;
  private readonly devices: TrustedDevices;
  private readonly recovery: TwoFactorRecovery;

  constructor(
    reflector: Reflector,
    protected readonly authService: AuthService,
    @Inject(TwoFactorStore) protected readonly store: TwoFactorStore,
    @Inject(VERIGATOR_TWO_FACTOR_OPTIONS) options: ResolvedTwoFactorOptions,
  ) {
    super(reflector, options);
    const keyOf = this.generateKey.bind(this);
    this.limits = new TwoFactorLimits(store, options, keyOf);
    this.records = new TwoFactorRecords(store, options, keyOf);
    this.devices = new TrustedDevices(store, options, keyOf);
    this.recovery = new TwoFactorRecovery(options, this.limits, this.records);
  }

  /** Runs this guard class's checks once per route (GraphQL: resolver); see transports. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' && !transports.isGraphQLOverHttp(context)) {
      return transports.refuseOutsideHttp(context, this.getRouteOptions(context), this.logger);
    }
    const shared = this.state(context);
    let decide = (guard: TwoFactorGuard) => guard.decide(context, shared);
    if (context.getType() !== 'http') decide = transports.inTurn(context, decide);
    return decideInTurn(this, context.getHandler(), shared.deferred, decide);
  }

  /** Decides one request for this guard class: true to let it through, else throws the answer. */
  protected async check(context: ExecutionContext, route: TwoFactorRouteOptions): Promise<boolean> {
    const userId = await this.getUserId(context);
    const serviceId = await this.getServiceId(context, route);
    const check = this.startCheck(context, state.checkOf(route, this.options, serviceId, userId));
    if (userId === undefined) throw this.refuse(context, answers.userUnknown);
    if (state.provenInRequest(this.state(context), check)) return true;
    const session = check.maxAge > 0 ? await this.getSessionKey(context, userId) : undefined;
    if (session !== undefined && (await this.records.isRemembered(check, session))) {
      this.emitEvent(context, { type: 'remembered', outcome: 'passed' });
      return true;
    }
    if (await this.devices.trusts(this.getRequestResponse(context), check)) {
      this.emitEvent(context, { type: 'trustedDevice', outcome: 'passed' });
      return true;
    }
    const code = check.recoveryCodes ? await this.getRecoveryCode(context) : undefined;
    if (code !== undefined) {
      const refusal = await this.recovery.recover(check, code, this.state(context), session);
      if (refusal) throw this.refuse(context, refusal);
      this.emitEvent(context, { type: 'recoveryCode', outcome: 'passed' });
      return true;
    }
    const token = await this.getToken(context);
    if (token === undefined) return this.sendCode(context, check);
    return this.verify(context, check, token, session);
  }

  /** Sends a code unless one is fresh for the route's method, then answers which way it went. */
  private async sendCode(context: ExecutionContext, check: Check): Promise<boolean> {
    const locked = await this.limits.lockedFor(check);
    if (locked !== undefined) throw this.refuse(context, answers.limitReached.locked(locked));
    if (!(await this.records.claimCooldown(check, check.method))) {
      const used = (await this.records.cooldownMethod(check, check.method)) ?? check.method;
      this.emitEvent(context, { type: 'sendRefused', outcome: 'refused', reason: 'cooldown' });
      throw this.refuse(context, answers.codeSent(check, used));
    }
    const spent = await this.limits.spendSend(check);
    if (spent !== undefined) await this.records.releaseCooldown(check, check.method);
    if (spent !== undefined) throw this.refuse(context, answers.limitReached.sendBudget(spent));
    let used: AuthMethod;
    try {
      used = await this.authService.initiate(check.serviceId, check.userId, check.method);
    } catch (error) {
      await this.records.releaseCooldown(check, check.method);
      if (isOutcomeUnknown(error)) await this.records.mayHaveSentSms(check);
      else await this.limits.giveBackSend(check);
      return this.onVerigatorError(error, context, check.userId);
    }
    await this.records.sent(check, check.method, used);
    this.emitEvent(context, { type: 'codeSent', outcome: 'refused', method: used });
    throw this.refuse(context, answers.codeSent(check, used));
  }

  /**
   * Verifies the token within the attempt limit. On a `totp` route, refuses while an SMS code this
   * app sent may be valid (Verigator would not say which factor matched), unless it was the
   * route's own accepted fallback. A success counts as the method Verigator sent the code by.
   */
  private async verify(context: ExecutionContext, check: Check, token: string, session?: string) {
    const countsAs = await this.records.countsAs(check);
    if ('pendingMs' in countsAs)
      throw this.refuse(context, answers.limitReached.smsPending(countsAs.pendingMs));
    const locked = await this.limits.countAttempt(check);
    if (locked !== undefined) throw this.refuse(context, answers.limitReached.locked(locked));
    let result;
    try {
      result = await this.authService.verify(check.serviceId, check.userId, token);
    } catch (error) {
      if (answers.isMalformedToken(error)) throw this.refuse(context, answers.malformed);
      if (isOutcomeUnknown(error)) await this.records.endCodes(check, false);
      else await this.limits.giveBackAttempt(check);
      return this.onVerigatorError(error, context, check.userId, token);
    }
    if (!result.verified) {
      if (result.status?.throttled || result.status?.expired)
        await this.records.endCodes(check, true);
      throw this.refuse(context, answers.notVerified(result.status));
    }
    const { method } = countsAs;
    await Promise.all([
      this.limits.resetAttempts(check),
      this.records.endCodes(check, true),
      session !== undefined && this.records.remember(check, method, session, check.maxAge),
    ]);
    this.state(context).proofs.push({ serviceId: check.serviceId, userId: check.userId, method });
    this.emitEvent(context, { type: 'verified', outcome: 'passed' });
    if (await this.devices.issueIfAsked(this.getRequestResponse(context), check, method))
      this.emitEvent(context, { type: 'deviceTrusted', outcome: 'passed', method });
    return true;
  }

  /** The store key of a kind of record; keep the `verigator-2fa:<kind>:` prefix when overriding. */
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

  /**
   * A failed Verigator call: with `failOpen` and an outage, warns and lets the request through;
   * otherwise logs it and fails closed with the status `VerigatorExceptionFilter` would answer.
   */
  protected onVerigatorError(
    error: unknown,
    context: ExecutionContext,
    userId: string,
    token?: string,
  ): boolean {
    if (!(error instanceof VerigatorError)) throw error;
    const secrets = token === undefined ? [] : [token, token.replace(/\s/g, '')];
    const { event, log, answer } = answers.verigatorFailure(error, this.options, context, userId);
    this.emitEvent(context, event);
    if (answer === undefined) this.logger.warn(describeForLog(log, secrets));
    if (answer === undefined) return true;
    logVerigatorError(this.logger, log, error, secrets);
    if (answer.retryAfter !== undefined)
      this.getRequestResponse(context).response.header('Retry-After', String(answer.retryAfter));
    throw new HttpException(answer.body, answer.statusCode);
  }

  /** Publishes a `TwoFactorEvent` for this request's check; free when no one listens. */
  protected emitEvent(context: ExecutionContext, details: answers.TwoFactorEventDetails): void {
    if (!this.events?.isObserved(VERIGATOR_CHANNELS.guardDecision)) return;
    const check = this.state(context).check;
    if (check) this.events.publish(state.eventOf(check, answers.routeName(context), details));
  }

  /** Runs this guard class's checks unless they passed already; a failed store answers 503. */
  private async decide(
    context: ExecutionContext,
    shared: state.TwoFactorRequestState<TwoFactorGuard>,
  ): Promise<boolean> {
    const route = this.getRouteOptions(context);
    const guardClass = stepGuardOf(this.constructor) ?? this.constructor;
    if (route === undefined || shared.passed.has(guardClass)) return true;
    shared.check = undefined;
    try {
      if (!(await this.check(context, route))) return false;
    } catch (error) {
      if (!(error instanceof TwoFactorStoreError)) throw error;
      this.logger.error(answers.storeFailure(context, error));
      throw this.refuse(context, answers.storeUnavailable);
    }
    shared.passed.add(guardClass);
    return true;
  }

  private startCheck(context: ExecutionContext, check: Check): Check {
    if (!check.serviceId || typeof check.serviceId !== 'string')
      throw answers.noServiceId((stepGuardOf(this.constructor) ?? this.constructor).name, context);
    return (this.state(context).check = check);
  }

  /** The exception for a refusal, with its event and `Retry-After`. */
  private refuse(context: ExecutionContext, refusal: answers.TwoFactorRefusal): HttpException {
    if (refusal.event) this.emitEvent(context, refusal.event);
    if (refusal.retryAfterMs !== undefined) {
      const seconds = answers.retryAfterSeconds(refusal.retryAfterMs);
      this.getRequestResponse(context).response.header('Retry-After', seconds);
    }
    return this.createException(refusal.code, refusal.method ? { method: refusal.method } : {});
  }

  private state(context: ExecutionContext): state.TwoFactorRequestState<TwoFactorGuard> {
    return state.requestState(context, () => this.getRequestResponse(context).request);
  }
}
