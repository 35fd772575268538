import { ValidationOptions, registerDecorator } from 'class-validator';

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
