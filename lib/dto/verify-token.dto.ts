import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/** The code a user typed, to verify. */
export class VerifyTokenDto {
  /** 4 to 12 digits; spaces are removed first (`123 456` is `123456`). */
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\s/g, '') : value))
  @Matches(/^\d{4,12}$/, { message: 'token must be 4 to 12 digits' })
  token!: string;
}
