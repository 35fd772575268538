import { ValidationOptions, registerDecorator } from 'class-validator';
import { isPossiblePhoneNumber } from 'libphonenumber-js';

/** The rule of {@link IsPossiblePhoneNumber}: `+` and digits, of a possible length for the country. */
export function isPossiblePhone(value: unknown): boolean {
  return typeof value === 'string' && /^\+\d+$/.test(value) && isPossiblePhoneNumber(value);
}

/**
 * Checks that a value is `+` and digits forming a *possible* number for its country
 * (right length per libphonenumber-js). It does not demand a number that is assigned:
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
