import { RecoveryCodes } from '../../recovery-codes/recovery-codes';
import { ResolvedTwoFactorOptions, TwoFactorRouteOptions } from '../two-factor-options.interface';
import * as answers from './two-factor-answers';
import { TwoFactorLimits, TwoFactorUser } from './two-factor-limits';

/**
 * The guard's recovery-code step (`twoFactor.recoveryCodes`): a code passes once in place of a
 * Verigator code. Each try counts toward the same lockout as a wrong token, before the code is
 * looked at, so a locked user cannot try codes either; a success resets the count.
 */
export class TwoFactorRecovery {
  private readonly codes?: RecoveryCodes;

  constructor(
    private readonly limits: TwoFactorLimits,
    options: Pick<ResolvedTwoFactorOptions, 'recoveryCodes'>,
  ) {
    if (options.recoveryCodes) this.codes = new RecoveryCodes(options.recoveryCodes);
  }

  /** Whether `route` takes recovery codes: its `recoveryCodes`, by default whether configured. */
  accepts(route: TwoFactorRouteOptions): boolean {
    return this.codes !== undefined && route.recoveryCodes !== false;
  }

  /** Uses up `code` of `user`: `undefined` when it passed, else the refusal (401 or 429). */
  async recover(user: TwoFactorUser, code: string): Promise<answers.TwoFactorRefusal | undefined> {
    const locked = await this.limits.countAttempt(user);
    if (locked !== undefined) return answers.limitReached.locked(locked);
    if (!(await this.codes!.consume(user, code))) return answers.invalidRecoveryCode;
    await this.limits.resetAttempts(user);
    return undefined;
  }
}
