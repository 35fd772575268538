import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Account } from './account';

/** The sample's user database: in memory, gone at restart. A real app uses its own. */
@Injectable()
export class AccountsStore {
  private readonly byApiKey = new Map<string, Account>();

  /** Stores a new account with a fresh API key. */
  add(username: string, verigatorId: string): Account {
    const account = {
      username,
      verigatorId,
      apiKey: randomBytes(18).toString('base64url'),
      recoveryCodes: Array.from({ length: 3 }, () => randomBytes(4).toString('hex')),
    };
    this.byApiKey.set(account.apiKey, account);
    return account;
  }

  /** The account an API key belongs to. */
  findByApiKey(apiKey: string): Account | undefined {
    return this.byApiKey.get(apiKey);
  }
}
