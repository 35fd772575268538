import { Injectable } from '@nestjs/common';
import { InitiateAuthArgs, VerifyTokenArgs } from '../dto/verigator.dto';
import { buildVerigatorPath } from '../http/build-verigator-path';
import { VerigatorHttpClient } from '../http/verigator-http-client';
import { isOutcomeUnknown } from '../http/resilience/operation-safety';
import { AuthMethod, VerificationResult } from '../models/verigator.models';
import { SmsDefence } from '../sms/sms-defence';
import { validateInput } from '../validation/validate-input';
import { toAuthMethod, toVerificationResult } from './response-mappers';

/** Runs the second factor: send a code (or prompt the app), then check what the user typed. */
@Injectable()
export class AuthService {
  constructor(
    private readonly client: VerigatorHttpClient,
    private readonly sms: SmsDefence,
  ) {}

  /**
   * Starts authentication: with `sms` Verigator texts a code; with `totp` the user is asked for
   * the Verigator app's code, or gets an SMS when they have no device.
   * With the `sms` module option, the SMS defences check and count it first.
   * @returns the method Verigator actually used.
   * @throws InvalidDataError for bad arguments; when the SMS defences refuse (nothing is sent)
   * `SmsRefusedError`, or `RateLimitedError` (`SMS_LIMITED`) for a spent budget; any `VerigatorError`.
   * @example const used = await auth.initiate(serviceId, userId, AuthMethod.TOTP); // 'totp' | 'sms'
   */
  async initiate(serviceId: string, userId: string, method: AuthMethod): Promise<AuthMethod> {
    validateInput(InitiateAuthArgs, { serviceId, userId, method });
    const path = buildVerigatorPath(serviceId, 'users', userId, 'auth');
    const send = await this.sms.beforeSend(serviceId, userId, method);
    let used: AuthMethod;
    try {
      used = toAuthMethod(await this.client.request('POST', path, { method }));
    } catch (error) {
      // An answered error sent nothing; a timeout or a reset may have: it stays counted.
      if (!isOutcomeUnknown(error)) await send.settle({ notSent: true });
      throw error;
    }
    await send.settle({ used });
    return used;
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
    const result = toVerificationResult(
      await this.client.request('PUT', path, { token: args.token }),
    );
    if (result.verified) await this.sms.recordVerified(serviceId, userId);
    return result;
  }
}
