import { RecoveryCodes } from '../../recovery-codes/recovery-codes';
import { ResolvedTwoFactorOptions } from '../two-factor-options.interface';
import * as answers from './two-factor-answers';
import { TwoFactorLimits } from './two-factor-limits';
import { TwoFactorRecords } from './two-factor-records';
import { TwoFactorCheck, TwoFactorRequestState } from './two-factor-request-state';

/**
 * The guard's recovery-code step (`twoFactor.recoveryCodes`): a code passes once in place of a
 * Verigator code, as the factor the route asks for. Each try counts toward the same lockout as a
 * wrong token, before the code is looked at, so a locked user cannot try codes either; a success
 * resets the count; it serves the rest of the request and, on a route with `maxAge`, is
 * remembered as a verified code is, but only ever for checks that take recovery codes.
 */
export class TwoFactorRecovery {
  private readonly codes?: RecoveryCodes;

  constructor(
    options: Pick<ResolvedTwoFactorOptions, 'recoveryCodes'>,
    private readonly limits: TwoFactorLimits,
    private readonly records: TwoFactorRecords,
  ) {
    if (options.recoveryCodes) this.codes = new RecoveryCodes(options.recoveryCodes);
  }

  /**
   * Uses up `code` of the user of `check`, on a route that takes recovery codes
   * (`check.recoveryCodes`), counting the try: `undefined` when it passed (this request's proof
   * and, with a `session`, a success remembered for `check.maxAge`, both as `check.method` and
   * marked as a recovery code's), else
   * the refusal: 401 `TWO_FACTOR_INVALID`, or 429 `TWO_FACTOR_LOCKED` past the attempts.
   */
  async recover(
    check: TwoFactorCheck,
    code: string,
    request: Pick<TwoFactorRequestState, 'proofs'>,
    session?: string,
  ): Promise<answers.TwoFactorRefusal | undefined> {
    if (!check.recoveryCodes || !this.codes) return answers.invalidRecoveryCode;
    const locked = await this.limits.countAttempt(check);
    if (locked !== undefined) return answers.limitReached.locked(locked);
    const user = { serviceId: check.serviceId, userId: check.userId };
    if (!(await this.codes.consume(user, code))) return answers.invalidRecoveryCode;
    await Promise.all([
      this.limits.resetAttempts(check),
      session !== undefined &&
        this.records.remember(check, check.method, session, check.maxAge, 'recoveryCode'),
    ]);
    request.proofs.push({ ...user, method: check.method, by: 'recoveryCode' });
    return undefined;
  }
}
