import { Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { randomBytes } from 'node:crypto';
import { Account } from './account';

/** The sample's user database: in memory, gone at restart. A real app uses its own. */
@Injectable()
export class AccountsStore {
  private readonly byApiKey = new Map<string, Account>();
  private readonly phones = new Set<string>();

  /**
   * Reserves a phone number for a new account, however it is written (`+372 5555 5555` and
   * `+37255555555` are one number), so that one phone cannot collect many users' codes.
   * @returns false when the number is already registered or reserved.
   */
  reservePhone(phoneNumber: string): boolean {
    const phone = normalizePhone(phoneNumber);
    if (this.phones.has(phone)) return false;
    this.phones.add(phone);
    return true;
  }

  /** Frees a reservation whose sign-up failed. */
  releasePhone(phoneNumber: string): void {
    this.phones.delete(normalizePhone(phoneNumber));
  }

  /** Stores a new account (its phone number reserved already) with a fresh API key. */
  add(username: string, verigatorId: string, phoneNumber: string): Account {
    const account = {
      username,
      verigatorId,
      apiKey: randomBytes(18).toString('base64url'),
      phoneNumber: normalizePhone(phoneNumber),
    };
    this.byApiKey.set(account.apiKey, account);
    return account;
  }

  /** Moves an account to its new Verigator user and (reserved) number, freeing the old number. */
  changePhone(account: Account, verigatorId: string, phoneNumber: string): void {
    this.phones.delete(account.phoneNumber);
    account.verigatorId = verigatorId;
    account.phoneNumber = normalizePhone(phoneNumber);
  }

  /** The account an API key belongs to. */
  findByApiKey(apiKey: string): Account | undefined {
    return this.byApiKey.get(apiKey);
  }
}

function normalizePhone(phoneNumber: string): string {
  return parsePhoneNumberFromString(phoneNumber)?.number ?? phoneNumber.replace(/[^\d+]/g, '');
}
