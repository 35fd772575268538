import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import { IsPossiblePhoneNumber } from '../validation/is-possible-phone-number.decorator';
import { IsWellFormedText } from '../validation/is-well-formed-text';

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
