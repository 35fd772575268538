import { applyDecorators } from '@nestjs/common';
import {
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { isPossiblePhoneNumber } from 'libphonenumber-js';

/*
 * The library's own validation rules, as class-validator decorators for the DTOs (dto/), each with
 * its message. `isWellFormedText` is also the guard's check of the ids it reads from a request.
 */

/** A UTF-16 surrogate not part of a pair: it cannot be encoded into a URL nor sent as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether a string is well-formed Unicode (no lone surrogate, e.g. `'\ud800'`), so that it can be
 * percent-encoded into a path and sent as UTF-8. The one rule every text argument passes.
 */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** Checks that a string property is well-formed Unicode (`isWellFormedText`); others pass. */
export function IsWellFormedText(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWellFormedText',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be well-formed Unicode text (no lone surrogate)`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isWellFormedText(value),
      },
    });
}

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

/** E.164's shape: `+`, a country code not starting with 0, 7 to 15 digits in all. */
const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

/** The rule of {@link IsPossiblePhoneNumber}: E.164's shape, of a possible length for the country. */
function isPossiblePhone(value: unknown): boolean {
  return typeof value === 'string' && E164_SHAPE.test(value) && isPossiblePhoneNumber(value);
}

/**
 * Checks that a value is an E.164 number (`+`, 7 to 15 digits) that is *possible* for its
 * country (right length per libphonenumber-js). It does not demand a number that is assigned:
 * Verigator is the judge of that, and its own example numbers would fail the stricter check.
 */
export function IsPossiblePhoneNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPossiblePhoneNumber',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be a phone number with its country prefix, e.g. +3725555555`,
        ...options,
      },
      validator: { validate: isPossiblePhone },
    });
}
