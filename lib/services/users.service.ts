import { Injectable } from '@nestjs/common';
import { CreateUserArgs, CreateUserDto, ServiceRefArgs, UserRefArgs } from '../dto/verigator.dto';
import { NoSuchResourceError } from '../errors/verigator.error';
import { buildVerigatorPath } from '../http/build-verigator-path';
import { VerigatorHttpClient } from '../http/verigator-http-client';
import { VerigatorUser } from '../models/verigator.models';
import { SmsDefence } from '../sms/sms-defence';
import { validateInput } from '../validation/validate-input';
import { toVerigatorUser, toVerigatorUsers } from './response-mappers';
import { UserRecords, UserRecordsOnReplace } from './user-records';

/**
 * Adds, lists, reads, replaces and deletes the users of a Verigator service; deleting or
 * replacing a user also forgets (or carries over) what the library keeps of them.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly client: VerigatorHttpClient,
    private readonly sms: SmsDefence,
    private readonly records: UserRecords,
  ) {}

  /**
   * Adds a user; store the returned `id` with your user to authenticate them later.
   * @throws InvalidDataError for a bad username or phone number, or one outside
   * `sms.allowedCountries` (nothing is sent),
   * `ResourceAlreadyExistsError` when the username is taken, and any `VerigatorError`.
   * @example await users.create(serviceId, { username: 'john@example.com', phoneNumber: '+3725555555' });
   */
  async create(serviceId: string, user: CreateUserDto): Promise<VerigatorUser> {
    return this.add(this.checkNewUser(serviceId, user));
  }

  /**
   * Fetches one user.
   * @throws NoSuchResourceError when the service or user does not exist, and any `VerigatorError`.
   */
  async get(serviceId: string, userId: string): Promise<VerigatorUser> {
    validateInput(UserRefArgs, { serviceId, userId });
    return toVerigatorUser(
      await this.client.request('GET', buildVerigatorPath(serviceId, 'users', userId)),
    );
  }

  /**
   * Lists every user of a service.
   * @throws NoSuchResourceError when the service does not exist, and any `VerigatorError`.
   */
  async getAll(serviceId: string): Promise<VerigatorUser[]> {
    validateInput(ServiceRefArgs, { serviceId });
    return toVerigatorUsers(
      await this.client.request('GET', buildVerigatorPath(serviceId, 'users')),
    );
  }

  /**
   * Deletes a user, then forgets what the library keeps of them: the two-factor lockout, send
   * budget, cooldowns and remembered successes, trusted devices, recovery codes, and the SMS
   * defences' records.
   * @throws NoSuchResourceError when the service or user does not exist (the records are
   * cleared all the same, so a call that failed half-way can be repeated), `TwoFactorStoreError`
   * when the store cannot clear them, and any `VerigatorError`.
   */
  async delete(serviceId: string, userId: string): Promise<void> {
    validateInput(UserRefArgs, { serviceId, userId });
    const gone = await this.deleteAtVerigator(serviceId, userId);
    await this.records.clear({ serviceId, userId });
    if (gone) throw gone;
  }

  /**
   * Replaces a user with a new one, for a new phone number (Verigator cannot change a user's
   * number: a new number is a new user, with a new id). Checks `user` first, deletes the old
   * user (so the username is free again), adds the new one, then hands the records over: with
   * `carryOver` the lockout and the send budget move to the new user with the time they have
   * left (a locked-out user cannot start afresh), and so do the recovery codes; with `clear` they
   * go. Trusted devices are
   * revoked, and cooldowns, remembered successes and the SMS defences' records of the old number
   * go, either way.
   * Put the route that calls it behind a fresh second factor, then store the new `id`.
   * A call that failed can be repeated with the same arguments: the old user being gone already is
   * no error here, and a new user whose records could not be handed over is deleted again.
   * @throws InvalidDataError for a bad user id, username or phone number, or one outside
   * `sms.allowedCountries` (nothing is deleted nor sent), `ResourceAlreadyExistsError` when
   * another user holds the username, `TwoFactorStoreError`, and any `VerigatorError`.
   * @example
   * const user = await users.replace(serviceId, account.verigatorId, { username, phoneNumber });
   * account.verigatorId = user.id;
   */
  async replace(
    serviceId: string,
    userId: string,
    user: CreateUserDto,
    options: {
      /** What becomes of the lockout, send budget and recovery codes. @default 'carryOver' */
      records?: UserRecordsOnReplace;
    } = {},
  ): Promise<VerigatorUser> {
    validateInput(UserRefArgs, { serviceId, userId });
    const args = this.checkNewUser(serviceId, user);
    await this.deleteAtVerigator(serviceId, userId);
    const created = await this.add(args);
    try {
      const to = { serviceId, userId: created.id };
      await this.records.replace({ serviceId, userId }, to, options.records ?? 'carryOver');
    } catch (error) {
      await this.delete(serviceId, created.id).catch(() => undefined);
      throw error;
    }
    return created;
  }

  /** Checks a new user's fields and number before anything is sent. */
  private checkNewUser(serviceId: string, user: CreateUserDto): CreateUserArgs {
    const args = validateInput(CreateUserArgs, { ...user, serviceId });
    this.sms.checkNewNumber(args.phoneNumber);
    return args;
  }

  private async add(args: CreateUserArgs): Promise<VerigatorUser> {
    const body = { id_in_service: args.username, phone_number: args.phoneNumber };
    const created = toVerigatorUser(
      await this.client.request('POST', buildVerigatorPath(args.serviceId, 'users'), body),
    );
    await this.sms.recordUser(args.serviceId, created.id, args.phoneNumber);
    return created;
  }

  /** Deletes the user at Verigator; a user it does not have is answered, not thrown. */
  private async deleteAtVerigator(
    serviceId: string,
    userId: string,
  ): Promise<NoSuchResourceError | undefined> {
    try {
      await this.client.execute('DELETE', buildVerigatorPath(serviceId, 'users', userId));
    } catch (error) {
      if (error instanceof NoSuchResourceError) return error;
      throw error;
    }
  }
}
