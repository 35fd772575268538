import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { IsWellFormedText } from './is-well-formed-text';

/**
 * A Verigator service or user id: a non-empty string of at most 255 characters that is not
 * `.` or `..` (URL parsers resolve those, even percent-encoded, to another path) and has no lone
 * surrogate (it could not be percent-encoded).
 */
export function IsVerigatorId(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string' }),
    IsNotEmpty({ message: '$property must not be empty' }),
    MaxLength(255, { message: '$property must be at most 255 characters' }),
    Matches(/^(?!\.{1,2}$)/, { message: '$property must not be "." or ".."' }),
    IsWellFormedText(),
  );
}
