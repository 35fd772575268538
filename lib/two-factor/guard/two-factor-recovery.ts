import { RecoveryCodes } from '../../recovery-codes/recovery-codes';
import { ResolvedTwoFactorOptions } from '../two-factor-options.interface';
import * as answers from './two-factor-answers';
import { TwoFactorLimits } from './two-factor-limits';
import { TwoFactorCheck, TwoFactorRequestState } from './two-factor-request-state';

/**
 * The guard's recovery-code step (`twoFactor.recoveryCodes`): a code passes once in place of a
 * Verigator code. Each try counts toward the same lockout as a wrong token, before the code is
 * looked at, so a locked user cannot try codes either; a success resets the count.
 */
export class TwoFactorRecovery {
  private readonly codes?: RecoveryCodes;

  constructor(options: Pick<ResolvedTwoFactorOptions, 'recoveryCodes'>) {
    if (options.recoveryCodes) this.codes = new RecoveryCodes(options.recoveryCodes);
  }

  /**
   * Uses up `code` of the user of `check`, on a route that takes recovery codes
   * (`check.recoveryCodes`), counting the try in `limits`: `undefined` when it passed (recorded as
   * this request's proof), else the refusal: 401 `TWO_FACTOR_INVALID`, or 429 `TWO_FACTOR_LOCKED`
   * past the attempts.
   */
  async recover(
    limits: TwoFactorLimits,
    check: TwoFactorCheck,
    code: string,
    request: Pick<TwoFactorRequestState, 'proofs'>,
  ): Promise<answers.TwoFactorRefusal | undefined> {
    if (!check.recoveryCodes || !this.codes) return answers.invalidRecoveryCode;
    const locked = await limits.countAttempt(check);
    if (locked !== undefined) return answers.limitReached.locked(locked);
    const user = { serviceId: check.serviceId, userId: check.userId };
    if (!(await this.codes.consume(user, code))) return answers.invalidRecoveryCode;
    await limits.resetAttempts(check);
    request.proofs.push({ ...user, method: check.method });
    return undefined;
  }
}
