import { IsString } from 'class-validator';

/** A new phone number for the caller's account: `UsersService.replace()` checks it. */
export class ChangePhoneDto {
  /** With its country prefix, e.g. `+372 5555 5556`. */
  @IsString()
  phoneNumber!: string;
}
