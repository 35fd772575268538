import {
  Body,
  ConflictException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  CreateUserDto,
  InjectVerigatorOptions,
  ResolvedVerigatorOptions,
  UsersService,
  VerigatorUser,
} from 'nestjs-verigator';
import { Account } from './account';
import { AccountsStore } from './accounts.store';
import { ApiKeyGuard } from './api-key.guard';
import { CurrentAccount } from './current-account.decorator';
import { RateLimit } from '../rate-limit';

/**
 * Sign-up (one account per phone number) registers the user with Verigator and gives back a demo
 * API key; reads answer only the caller. Both are rate-limited per client IP, wrong API keys too.
 */
@Controller('users')
@RateLimit('reads')
export class AccountsController {
  private readonly serviceId: string;

  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsStore,
    @InjectVerigatorOptions() options: ResolvedVerigatorOptions,
  ) {
    this.serviceId = options.serviceId!;
  }

  /** Adds the user to the Verigator service (409 when the username or phone is taken). */
  @Post()
  @RateLimit('signUp')
  async register(
    @Body() dto: CreateUserDto,
  ): Promise<Pick<Account, 'username' | 'verigatorId' | 'apiKey'>> {
    if (!this.accounts.reservePhone(dto.phoneNumber)) {
      throw new ConflictException('This phone number is already registered');
    }
    try {
      const user = await this.users.create(this.serviceId, dto);
      const { username, verigatorId, apiKey } = this.accounts.add(
        user.username,
        user.id,
        dto.phoneNumber,
      );
      return { username, verigatorId, apiKey };
    } catch (error) {
      this.accounts.releasePhone(dto.phoneNumber);
      throw error;
    }
  }

  /** The caller, as Verigator knows them, in a list (other users are never listed). */
  @Get()
  @UseGuards(ApiKeyGuard)
  async list(@CurrentAccount() account: Account): Promise<VerigatorUser[]> {
    return [await this.users.get(this.serviceId, account.verigatorId)];
  }

  /** The caller, as Verigator knows them; 404 for any other id, without asking Verigator. */
  @Get(':verigatorId')
  @UseGuards(ApiKeyGuard)
  get(
    @CurrentAccount() account: Account,
    @Param('verigatorId') verigatorId: string,
  ): Promise<VerigatorUser> {
    if (verigatorId !== account.verigatorId) throw new NotFoundException();
    return this.users.get(this.serviceId, verigatorId);
  }
}
