import { Injectable } from '@nestjs/common';
import { InitiateAuthArgs, VerifyTokenArgs } from '../dto/verigator.dto';
import { buildVerigatorPath } from '../http/build-verigator-path';
import { VerigatorHttpClient } from '../http/verigator-http-client';
import { AuthMethod, VerificationResult } from '../models/verigator.models';
import { validateInput } from '../validation/validate-input';
import { toAuthMethod, toVerificationResult } from './response-mappers';

/** Runs the second factor: send a code (or prompt the app), then check what the user typed. */
@Injectable()
export class AuthService {
  constructor(private readonly client: VerigatorHttpClient) {}

  /**
   * Starts authentication: with `sms` Verigator texts a code; with `totp` the user is asked for
   * the Verigator app's code, or gets an SMS when they have no device.
   * @returns the method Verigator actually used.
   * @throws InvalidDataError for bad arguments (nothing is sent), and any `VerigatorError`.
   * @example const used = await auth.initiate(serviceId, userId, AuthMethod.TOTP); // 'totp' | 'sms'
   */
  async initiate(serviceId: string, userId: string, method: AuthMethod): Promise<AuthMethod> {
    validateInput(InitiateAuthArgs, { serviceId, userId, method });
    const path = buildVerigatorPath(serviceId, 'users', userId, 'auth');
    return toAuthMethod(await this.client.request('POST', path, { method }));
  }

  /**
   * Checks the code a user typed (spaces are removed first). A wrong, expired or throttled code
   * resolves with `verified: false` and the reason in `status`; it does not throw.
   * @throws InvalidDataError when the token is not 4 to 12 digits (nothing is sent), and any
   * `VerigatorError`.
   */
  async verify(serviceId: string, userId: string, token: string): Promise<VerificationResult> {
    const args = validateInput(VerifyTokenArgs, { serviceId, userId, token });
    const path = buildVerigatorPath(serviceId, 'users', userId, 'auth');
    return toVerificationResult(await this.client.request('PUT', path, { token: args.token }));
  }
}
