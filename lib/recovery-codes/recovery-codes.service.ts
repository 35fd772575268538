import { Inject, Injectable } from '@nestjs/common';
import { UserRefArgs } from '../dto/verigator.dto';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { validateInput } from '../validation/validate-input';
import { VERIGATOR_TWO_FACTOR_OPTIONS } from '../verigator.constants';
import { RecoveryCodeStore } from './recovery-code.store';
import { RecoveryCodes } from './recovery-codes';
import { ResolvedRecoveryCodesOptions } from './recovery-codes-options';

/** The part of the resolved `twoFactor` options this service reads. */
interface RecoveryCodesServiceOptions {
  serviceId?: string;
  recoveryCodes?: ResolvedRecoveryCodesOptions;
}

/**
 * A user's one-time recovery codes (`twoFactor.recoveryCodes`): each passes `TwoFactorGuard` once
 * in place of a Verigator code, sent as the `X-Verigator-Recovery-Code` header. `serviceId`
 * defaults to the module's (`twoFactor.serviceId`, else `serviceId`).
 *
 * Show the codes once, right after `generate()`, and ask for a fresh Verigator code to generate
 * them, not a recovery code nor a trusted device (docs/guard.md).
 * @example
 * @RequireTwoFactor({ recoveryCodes: false, trustedDevices: false })
 * @Post('account/recovery-codes')
 * async newCodes(@Req() req: AuthedRequest) {
 *   return { codes: await this.recoveryCodes.generate(req.user.verigatorId) };
 * }
 */
@Injectable()
export class RecoveryCodesService {
  private readonly codes?: RecoveryCodes;

  constructor(
    @Inject(VERIGATOR_TWO_FACTOR_OPTIONS) private readonly options: RecoveryCodesServiceOptions,
  ) {
    if (options.recoveryCodes) this.codes = new RecoveryCodes(options.recoveryCodes);
  }

  /**
   * Makes the user a new set of codes (`count`, default 10, like `7WQK-3M9D-HX2P-A4RT`) and
   * returns them; any earlier set stops working. Only their keyed hashes are stored.
   * @throws VerigatorConfigurationError when `twoFactor.recoveryCodes` is not set,
   * InvalidDataError for an unusable id, TwoFactorStoreError when the store fails.
   */
  async generate(userId: string, serviceId?: string): Promise<string[]> {
    const owner = this.ownerOf(userId, serviceId);
    if (!this.codes) {
      throw new VerigatorConfigurationError(
        'twoFactor.recoveryCodes',
        'must be set to generate recovery codes',
      );
    }
    return this.codes.generate(owner);
  }

  /**
   * How many unused codes the user has (0 when the feature is off).
   * @throws InvalidDataError for an unusable id, TwoFactorStoreError when the store fails.
   */
  async remaining(userId: string, serviceId?: string): Promise<number> {
    const owner = this.ownerOf(userId, serviceId);
    return this.codes ? this.codes.remaining(owner) : 0;
  }

  /**
   * Removes every code of the user, e.g. when deleting them (nothing to do when the feature is off).
   * @throws InvalidDataError for an unusable id, TwoFactorStoreError when the store fails.
   */
  async clear(userId: string, serviceId?: string): Promise<void> {
    const owner = this.ownerOf(userId, serviceId);
    await this.codes?.clear(owner);
  }

  /**
   * Gives the user `toUserId` the unused codes of `fromUserId`, who then has none: for a user
   * re-created under a new phone number (`UsersService.replace()`), so the codes they kept still
   * work. Not atomic: a code used on the old id during the move may pass once more on the new one.
   * @throws InvalidDataError for an unusable id, TwoFactorStoreError when the store fails.
   */
  async move(fromUserId: string, toUserId: string, serviceId?: string): Promise<void> {
    const from = this.ownerOf(fromUserId, serviceId);
    const to = this.ownerOf(toUserId, serviceId);
    await this.codes?.move(from, to);
  }

  private ownerOf(userId: string, serviceId = this.options.serviceId): RecoveryCodeStore.Owner {
    const valid = validateInput(UserRefArgs, { serviceId, userId });
    return { serviceId: valid.serviceId, userId: valid.userId };
  }
}
