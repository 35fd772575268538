import { IsIn } from 'class-validator';
import { AUTH_METHODS, AuthMethod } from '../models/auth-method';

/** Starts authentication: the method to use. */
export class InitiateAuthDto {
  /** `sms`, or `totp` (Verigator falls back to SMS when the user has no device). */
  @IsIn(AUTH_METHODS, { message: `method must be one of: ${AUTH_METHODS.join(', ')}` })
  method!: AuthMethod;
}
