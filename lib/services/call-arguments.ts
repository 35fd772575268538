import { CreateUserDto } from '../dto/create-user.dto';
import { InitiateAuthDto } from '../dto/initiate-auth.dto';
import { VerifyTokenDto } from '../dto/verify-token.dto';
import { IsVerigatorId } from '../validation/is-verigator-id.decorator';

/*
 * What each service method takes, as classes: the DTOs' rules (the same classes a controller
 * validates with `ValidationPipe`) plus the ids. `validateInput` checks a call against them before
 * anything is sent, so every rule is written once, as a decorator.
 */

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
