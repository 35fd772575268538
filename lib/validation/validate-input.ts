import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { InvalidDataError, InvalidField } from '../errors/verigator.error';

/**
 * Transforms `plain` into `type` (applying its `@Transform`s, e.g. phone normalisation) and
 * validates it, before anything is sent.
 * @throws InvalidDataError naming every failing field; the values are never included.
 */
export function validateInput<T extends object>(type: new () => T, plain: unknown): T {
  const transformed = transform(type, isObject(plain) ? plain : {});
  // a Set, Date or the like comes back as itself, which carries no rules: validate it as empty
  const instance = transformed instanceof type ? transformed : plainToInstance(type, {});
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length > 0) throw InvalidDataError.fromFields(errors.map(toInvalidField));
  return instance;
}

/**
 * `plainToInstance`, except that a value it cannot convert (e.g. a Map whose key has no string
 * form) fails as an `InvalidDataError` naming its field, not as a raw `TypeError`.
 */
function transform<T extends object>(type: new () => T, plain: object): T {
  try {
    return plainToInstance(type, plain);
  } catch {
    const fields = Object.entries(plain).filter(([field, value]) => {
      try {
        plainToInstance(type, { [field]: value });
        return false;
      } catch {
        return true;
      }
    });
    const messages = ['must be a plain value'];
    throw InvalidDataError.fromFields(fields.map(([field]) => ({ field, messages })));
  }
}

function toInvalidField(error: ValidationError): InvalidField {
  return { field: error.property, messages: Object.values(error.constraints ?? {}) };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
