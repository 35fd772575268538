import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { RequireTwoFactor } from 'nestjs-verigator';
import { Account } from '../accounts/account';
import { ApiKeyGuard } from '../accounts/api-key.guard';
import { CurrentAccount } from '../accounts/current-account.decorator';
import { RateLimit } from '../rate-limit';
import { CreateTransferDto } from './create-transfer.dto';

/**
 * Money transfers, behind a second factor (step-up authentication), rate-limited per client IP.
 * `@RequireTwoFactor()` checks after every guard, so `ApiKeyGuard` always runs first.
 */
@Controller('transfers')
@RateLimit('twoFactor')
@UseGuards(ApiKeyGuard)
export class TransfersController {
  /**
   * Sends money: needs a code sent by SMS, a trusted device's token
   * (`X-Verigator-Device-Token`) or a recovery code (`X-Verigator-Recovery-Code`).
   */
  @Post()
  @RequireTwoFactor()
  transfer(@CurrentAccount() account: Account, @Body() dto: CreateTransferDto) {
    return { status: 'sent', from: account.username, to: dto.to, amount: dto.amount };
  }
}
