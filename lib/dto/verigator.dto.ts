import { Transform } from 'class-transformer';
import { IsFQDN, IsIn, IsString, Length, Matches } from 'class-validator';
import { AUTH_METHODS, AuthMethod } from '../models/verigator.models';
import { documentDto } from '../integrations/openapi';
import { IsPossiblePhoneNumber, IsVerigatorId, IsWellFormedText } from '../validation/rules';

/*
 * The bodies of Verigator's calls, with their rules: controllers validate them with
 * `ValidationPipe`, and the services check their own arguments against the same classes (the
 * `*Args` classes below add the ids; they are internal) through `validateInput`, before anything
 * is sent. Each rule is written once, as a decorator; `documentDto` gives the public DTOs their
 * OpenAPI schema from those rules (for @nestjs/swagger, without loading it).
 */

/** Registers a service: `ServicesService.create()`, or a controller body with `ValidationPipe`. */
export class CreateServiceDto {
  /** Fully qualified domain name of the application, e.g. `coffeeshop.com`. */
  @IsFQDN({}, { message: 'fqdn must be a domain name such as coffeeshop.com' })
  fqdn!: string;

  /** Name shown as the issuer in the Verigator app, 1 to 100 characters, not blank. */
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  @IsWellFormedText()
  name!: string;
}

/** Adds a user to a service: `UsersService.create()`, or a controller body with `ValidationPipe`. */
export class CreateUserDto {
  /** The user's login name in your application (usually an e-mail address), 1 to 255 characters, not blank. */
  @Matches(/\S/, { message: 'username must not be blank' })
  @IsString({ message: 'username must be a string' })
  @Length(1, 255, { message: 'username must be 1 to 255 characters' })
  @IsWellFormedText()
  username!: string;

  /**
   * Phone number with its country prefix, e.g. `+372 5555 555`. Spaces, dashes, dots and
   * parentheses are removed before it is checked and sent.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/[\s\-.()]/g, '') : value))
  @IsPossiblePhoneNumber()
  phoneNumber!: string;
}

/** Starts authentication: the method to use. */
export class InitiateAuthDto {
  /** `sms`, or `totp` (Verigator falls back to SMS when the user has no device). */
  @IsIn(AUTH_METHODS, { message: `method must be one of: ${AUTH_METHODS.join(', ')}` })
  method!: AuthMethod;
}

/** The code a user typed, to verify. */
export class VerifyTokenDto {
  /** 4 to 12 digits; spaces are removed first (`123 456` is `123456`). */
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\s/g, '') : value))
  @Matches(/^\d{4,12}$/, { message: 'token must be 4 to 12 digits' })
  token!: string;
}

/** Arguments naming a service. */
export class ServiceRefArgs {
  @IsVerigatorId() serviceId!: string;
}

/** Arguments naming a user of a service. */
export class UserRefArgs extends ServiceRefArgs {
  @IsVerigatorId() userId!: string;
}

/** Arguments of `UsersService.create()`. */
export class CreateUserArgs extends CreateUserDto {
  @IsVerigatorId() serviceId!: string;
}

/** Arguments of `AuthService.initiate()`. */
export class InitiateAuthArgs extends InitiateAuthDto {
  @IsVerigatorId() serviceId!: string;
  @IsVerigatorId() userId!: string;
}

/** Arguments of `AuthService.verify()`. */
export class VerifyTokenArgs extends VerifyTokenDto {
  @IsVerigatorId() serviceId!: string;
  @IsVerigatorId() userId!: string;
}

documentDto(CreateServiceDto, {
  fqdn: { description: 'Domain name of the application', example: 'coffeeshop.com' },
  name: { description: 'Shown as the issuer in the Verigator app', example: 'Coffee Shop' },
});
documentDto(CreateUserDto, {
  username: {
    description: "The user's login name in your application (usually an e-mail address)",
    example: 'alice@example.com',
  },
  phoneNumber: {
    description:
      'Phone number with its country prefix; spaces, dashes, dots and parentheses are removed',
    example: '+3725555555',
  },
});
documentDto(InitiateAuthDto, {
  method: {
    description: 'How to send the code; Verigator falls back to SMS for a user with no device',
    example: 'sms',
  },
});
documentDto(VerifyTokenDto, {
  token: { description: 'The code the user typed; spaces are removed', example: '123456' },
});
