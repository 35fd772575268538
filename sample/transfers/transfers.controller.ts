import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { AuthMethod, RequireTwoFactor } from 'nestjs-verigator';
import { Account } from '../accounts/account';
import { ApiKeyGuard } from '../accounts/api-key.guard';
import { CurrentAccount } from '../accounts/current-account.decorator';
import { RateLimit } from '../rate-limit';
import { CreateTransferDto } from './create-transfer.dto';

/**
 * Sensitive actions, each behind a fresh second factor (step-up authentication), rate-limited per
 * client IP. `@RequireTwoFactor()` checks after every guard, so `ApiKeyGuard` always runs first.
 */
@Controller()
@RateLimit('twoFactor')
@UseGuards(ApiKeyGuard)
export class TransfersController {
  /** Sends money: needs a code sent by SMS. */
  @Post('transfers')
  @RequireTwoFactor()
  transfer(@CurrentAccount() account: Account, @Body() dto: CreateTransferDto) {
    return { status: 'sent', from: account.username, to: dto.to, amount: dto.amount };
  }

  /** Shows recovery codes: prefers the Verigator app (TOTP), falls back to SMS without one. */
  @Get('account/recovery-codes')
  @RequireTwoFactor({ method: AuthMethod.TOTP })
  recoveryCodes(@CurrentAccount() account: Account) {
    return { username: account.username, recoveryCodes: account.recoveryCodes };
  }
}
