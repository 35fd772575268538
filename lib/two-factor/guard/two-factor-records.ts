import { AUTH_METHODS, AuthMethod, outranks } from '../../models/verigator.models';
import { TwoFactorStore } from '../../stores/two-factor.store';
import { ResolvedTwoFactorOptions } from '../two-factor-options.interface';
import { TwoFactorKeyOf, TwoFactorUser } from './two-factor-limits';

const RECOVERY_CODE = 'recoveryCode';

/** What made a success other than a verified Verigator code: a recovery code. */
export type SuccessBy = typeof RECOVERY_CODE;

/**
 * True when a success made `by` (`undefined`: a verified Verigator code) may pass `check`: one a
 * recovery code made, only where recovery codes are taken. Remembered and in-request successes
 * alike.
 */
export function successServes(by: string | undefined, check: { recoveryCodes: boolean }): boolean {
  return by === undefined || (by === RECOVERY_CODE && check.recoveryCodes);
}

/**
 * What the guard remembers of a user's codes, in the `TwoFactorStore`, per method:
 * - a cooldown per route method (`cooldown`), holding the method Verigator used;
 * - the SMS code this app sent that may still be valid (`smsCodeLifetime`), holding the route
 *   method that asked for it;
 * - remembered successes (`maxAge`), one per method a success counts for: TOTP outranks SMS. The
 *   time it was made, followed by ` recoveryCode` when a recovery code made it: such a success
 *   passes only routes that take recovery codes (a route without them demands a Verigator code).
 */
export class TwoFactorRecords {
  constructor(
    private readonly store: TwoFactorStore,
    private readonly options: Pick<ResolvedTwoFactorOptions, 'cooldown' | 'smsCodeLifetime'>,
    private readonly keyOf: TwoFactorKeyOf,
  ) {}

  /** Claims the cooldown of `method` atomically: true when this request may send a code. */
  claimCooldown(user: TwoFactorUser, method: AuthMethod): Promise<boolean> {
    return this.store.setIfAbsent(this.cooldownKey(user, method), method, this.options.cooldown);
  }

  /** How the fresh code of a `method` route went out, while its cooldown lasts. */
  async cooldownMethod(user: TwoFactorUser, method: AuthMethod): Promise<AuthMethod | undefined> {
    const record = await this.store.get(this.cooldownKey(user, method));
    return AUTH_METHODS.find((known) => known === record?.value);
  }

  /** Releases the cooldown of `method` (nothing was sent). */
  releaseCooldown(user: TwoFactorUser, method: AuthMethod): Promise<void> {
    return this.store.delete(this.cooldownKey(user, method));
  }

  /** Records a code a `requested` route had sent by `used` (an SMS, if `used` is one). */
  async sent(user: TwoFactorUser, requested: AuthMethod, used: AuthMethod): Promise<void> {
    await Promise.all([
      this.store.set(this.cooldownKey(user, requested), used, this.options.cooldown),
      used === AuthMethod.SMS && this.store.set(this.smsKey(user), requested, this.lifetime),
    ]);
  }

  /** Records that an SMS may have gone out (an initiate whose outcome is unknown). */
  mayHaveSentSms(user: TwoFactorUser): Promise<void> {
    return this.store.set(this.smsKey(user), AuthMethod.SMS, this.lifetime);
  }

  /**
   * The method a token verified on a route will count as, or how long to wait: a `totp` route
   * refuses to verify while an SMS code this app sent may be valid (Verigator would not say which
   * factor matched), unless that SMS was its own fallback and it accepts it (then `sms`).
   */
  async countsAs(route: {
    serviceId: string;
    userId: string;
    method: AuthMethod;
    smsFallback: 'accept' | 'refuse';
  }): Promise<{ method: AuthMethod } | { pendingMs: number }> {
    if (route.method === AuthMethod.SMS) return { method: AuthMethod.SMS };
    const pending = await this.store.get(this.smsKey(route));
    if (pending === undefined) return { method: AuthMethod.TOTP };
    const accepted = route.smsFallback === 'accept' && pending.value === AuthMethod.TOTP;
    return accepted ? { method: AuthMethod.SMS } : { pendingMs: pending.ttlMs };
  }

  /**
   * Ends every cooldown, so the user can ask for a new code at once, and with `spent` the pending
   * SMS too: Verigator used up or expired the user's code.
   */
  endCodes(user: TwoFactorUser, spent: boolean): Promise<unknown> {
    return Promise.all([
      ...AUTH_METHODS.map((method) => this.store.delete(this.cooldownKey(user, method))),
      spent && this.store.delete(this.smsKey(user)),
    ]);
  }

  /**
   * True when a success that counts for the route's method is remembered for `session` within
   * `maxAge`; one a recovery code made, only on a route that takes recovery codes.
   */
  async isRemembered(
    route: TwoFactorUser & { method: AuthMethod; maxAge: number; recoveryCodes: boolean },
    session: string,
  ): Promise<boolean> {
    const record = await this.store.get(this.successKey(route, route.method, session));
    const [time, by] = record?.value.split(' ') ?? [];
    if (!successServes(by, route)) return false;
    const madeAt = Number(time);
    return Number.isFinite(madeAt) && Date.now() - madeAt < route.maxAge;
  }

  /**
   * Remembers a success counted as `countsAs`, for it and every method it outranks; `by` marks one
   * a recovery code made.
   */
  async remember(
    user: TwoFactorUser,
    countsAs: AuthMethod,
    session: string,
    maxAge: number,
    by?: SuccessBy,
  ): Promise<void> {
    const now = by === undefined ? String(Date.now()) : `${Date.now()} ${by}`;
    await Promise.all(
      AUTH_METHODS.filter((method) => outranks(countsAs, method)).map((method) =>
        this.store.set(this.successKey(user, method, session), now, maxAge),
      ),
    );
  }

  private get lifetime(): number {
    return this.options.smsCodeLifetime;
  }

  private cooldownKey(user: TwoFactorUser, method: AuthMethod): string {
    return this.keyOf('cooldown', user.serviceId, user.userId, method);
  }

  private smsKey(user: TwoFactorUser): string {
    return this.keyOf('sms', user.serviceId, user.userId);
  }

  private successKey(user: TwoFactorUser, method: AuthMethod, session: string): string {
    return this.keyOf('success', user.serviceId, user.userId, method, session);
  }
}
