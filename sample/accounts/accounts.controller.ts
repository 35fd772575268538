import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  CreateUserDto,
  InjectVerigatorOptions,
  ResolvedVerigatorOptions,
  UsersService,
  VerigatorUser,
} from 'nestjs-verigator';
import { Account } from './account';
import { AccountsStore } from './accounts.store';

/** Sign-up: registers the user with Verigator and gives back a demo API key. */
@Controller('users')
export class AccountsController {
  private readonly serviceId: string;

  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsStore,
    @InjectVerigatorOptions() options: ResolvedVerigatorOptions,
  ) {
    this.serviceId = options.serviceId!;
  }

  /** Adds the user to the Verigator service (409 when the username is taken). */
  @Post()
  async register(
    @Body() dto: CreateUserDto,
  ): Promise<Pick<Account, 'username' | 'verigatorId' | 'apiKey'>> {
    const user = await this.users.create(this.serviceId, dto);
    const { username, verigatorId, apiKey } = this.accounts.add(user.username, user.id);
    return { username, verigatorId, apiKey };
  }

  /** The service's users, as Verigator knows them. */
  @Get()
  list(): Promise<VerigatorUser[]> {
    return this.users.getAll(this.serviceId);
  }

  /** One user, as Verigator knows them (404 when unknown). */
  @Get(':verigatorId')
  get(@Param('verigatorId') verigatorId: string): Promise<VerigatorUser> {
    return this.users.get(this.serviceId, verigatorId);
  }
}
