import { Injectable } from '@nestjs/common';
import { CreateUserArgs, CreateUserDto, ServiceRefArgs, UserRefArgs } from '../dto/verigator.dto';
import { buildVerigatorPath } from '../http/build-verigator-path';
import { VerigatorHttpClient } from '../http/verigator-http-client';
import { VerigatorUser } from '../models/verigator.models';
import { SmsDefence } from '../sms/sms-defence';
import { validateInput } from '../validation/validate-input';
import { toVerigatorUser, toVerigatorUsers } from './response-mappers';

/** Adds, lists, reads and deletes the users of a Verigator service. */
@Injectable()
export class UsersService {
  constructor(
    private readonly client: VerigatorHttpClient,
    private readonly sms: SmsDefence,
  ) {}

  /**
   * Adds a user; store the returned `id` with your user to authenticate them later.
   * @throws InvalidDataError for a bad username or phone number, or one outside
   * `sms.allowedCountries` (nothing is sent),
   * `ResourceAlreadyExistsError` when the username is taken, and any `VerigatorError`.
   * @example await users.create(serviceId, { username: 'john@example.com', phoneNumber: '+3725555555' });
   */
  async create(serviceId: string, user: CreateUserDto): Promise<VerigatorUser> {
    const args = validateInput(CreateUserArgs, { ...user, serviceId });
    this.sms.checkNewNumber(args.phoneNumber);
    const body = { id_in_service: args.username, phone_number: args.phoneNumber };
    const created = toVerigatorUser(
      await this.client.request('POST', buildVerigatorPath(serviceId, 'users'), body),
    );
    await this.sms.recordUser(serviceId, created.id, args.phoneNumber);
    return created;
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
   * Deletes a user.
   * @throws NoSuchResourceError when the service or user does not exist, and any `VerigatorError`.
   */
  async delete(serviceId: string, userId: string): Promise<void> {
    validateInput(UserRefArgs, { serviceId, userId });
    await this.client.execute('DELETE', buildVerigatorPath(serviceId, 'users', userId));
  }
}
