import {
  Body,
  ConflictException,
  Controller,
  Delete,
  HttpCode,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import {
  AuthMethod,
  InjectVerigatorOptions,
  RecoveryCodesService,
  RequireTwoFactor,
  ResolvedVerigatorOptions,
  TrustedDevicesService,
  UsersService,
} from 'nestjs-verigator';
import { RateLimit } from '../rate-limit';
import { Account } from './account';
import { AccountsStore } from './accounts.store';
import { ApiKeyGuard } from './api-key.guard';
import { ChangePhoneDto } from './change-phone.dto';
import { CurrentAccount } from './current-account.decorator';

/**
 * What could turn one stolen device token or recovery code into lasting access needs a FRESH
 * second factor, a Verigator code (`trustedDevices: false, recoveryCodes: false`): revoking
 * devices, new recovery codes, a new phone number.
 */
const FRESH = { trustedDevices: false, recoveryCodes: false } as const;

/** The caller's second factor: trusted devices, recovery codes and phone number. */
@Controller('account')
@RateLimit('twoFactor')
@UseGuards(ApiKeyGuard)
export class AccountSecurityController {
  private readonly serviceId: string;

  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsStore,
    private readonly devices: TrustedDevicesService,
    private readonly recoveryCodes: RecoveryCodesService,
    @InjectVerigatorOptions() options: ResolvedVerigatorOptions,
  ) {
    this.serviceId = options.serviceId!;
  }

  /** Stops trusting every device of the caller ("log out everywhere"): 204. */
  @Delete('trusted-devices')
  @HttpCode(204)
  @RequireTwoFactor(FRESH)
  async revokeDevices(@CurrentAccount() account: Account): Promise<void> {
    await this.devices.revokeAll(account.verigatorId);
  }

  /**
   * A new set of recovery codes, shown this once; any earlier set stops working. Prefers the
   * Verigator app (TOTP), falls back to SMS without one.
   */
  @Post('recovery-codes')
  @RequireTwoFactor({ ...FRESH, method: AuthMethod.TOTP })
  async newRecoveryCodes(@CurrentAccount() account: Account): Promise<{ codes: string[] }> {
    return { codes: await this.recoveryCodes.generate(account.verigatorId) };
  }

  /**
   * Moves the account to a new phone number: Verigator cannot change a number, so the account
   * gets a new Verigator user; the lockout and the recovery codes carry over, trusted devices
   * are revoked (409 when another account has the number).
   */
  @Put('phone')
  @RequireTwoFactor(FRESH)
  async changePhone(
    @CurrentAccount() account: Account,
    @Body() dto: ChangePhoneDto,
  ): Promise<Pick<Account, 'username' | 'verigatorId'>> {
    if (!this.accounts.reservePhone(dto.phoneNumber)) {
      throw new ConflictException('This phone number is already registered');
    }
    try {
      const user = await this.users.replace(this.serviceId, account.verigatorId, {
        username: account.username,
        phoneNumber: dto.phoneNumber,
      });
      this.accounts.changePhone(account, user.id, dto.phoneNumber);
    } catch (error) {
      this.accounts.releasePhone(dto.phoneNumber);
      throw error;
    }
    return { username: account.username, verigatorId: account.verigatorId };
  }
}
