import { isFQDN, isIn, isNotEmpty, isString, length, matches, maxLength } from 'class-validator';
import { InvalidDataError, InvalidField } from '../errors/invalid-data.error';
import { AUTH_METHODS, AuthMethod } from '../models/auth-method';
import { isPossiblePhone } from './is-possible-phone-number.decorator';
import { isWellFormedText } from './is-well-formed-text';

/*
 * The services' own argument checks: the rules, messages and field order of the DTO classes
 * (`call-arguments.ts`, `dto/`), written out so a call does not pay for class-transformer and
 * class-validator's metadata walk. The DTOs stay the source of truth for `ValidationPipe`;
 * `check-arguments.spec.ts` runs both on one corpus so they cannot drift apart.
 */

/** A predicate and the message when it fails (stacked decorators run bottom-up). */
type Rule = readonly [test: (value: unknown) => boolean, message: string];

/** `IsWellFormedText()`: no lone surrogate in a string; other values pass. */
function wellFormed(field: string): Rule {
  return [
    (v) => typeof v !== 'string' || isWellFormedText(v),
    `${field} must be well-formed Unicode text (no lone surrogate)`,
  ];
}

/** `@Matches(/\S/)`: a string with something besides whitespace. */
function notBlank(field: string): Rule {
  return [(v) => isString(v) && matches(v, NOT_BLANK), `${field} must not be blank`];
}

/** `IsVerigatorId()`: string, not empty, at most 255 characters, not `.` or `..`. */
function idRules(field: string): readonly Rule[] {
  return [
    [isString, `${field} must be a string`],
    [isNotEmpty, `${field} must not be empty`],
    [
      (v) => isString(v) && (v.length <= 255 || maxLength(v, 255)),
      `${field} must be at most 255 characters`,
    ],
    [(v) => isString(v) && !DOT_SEGMENT.test(v), `${field} must not be "." or ".."`],
    wellFormed(field),
  ];
}

const DOT_SEGMENT = /^\.{1,2}$/;
const TOKEN_PATTERN = /^\d{4,12}$/;
const NOT_BLANK = /\S/;
const PHONE_PUNCTUATION = /[\s\-.()]/g;
const WHITESPACE = /\s/g;
const SERVICE_ID = idRules('serviceId');
const USER_ID = idRules('userId');
const FQDN: readonly Rule[] = [
  [(v) => isFQDN(v, {}), 'fqdn must be a domain name such as coffeeshop.com'],
];
const NAME: readonly Rule[] = [
  wellFormed('name'),
  [(v) => length(v, 1, 100), 'name must be 1 to 100 characters'],
  [isString, 'name must be a string'],
  notBlank('name'),
];
const USERNAME: readonly Rule[] = [
  wellFormed('username'),
  [(v) => length(v, 1, 255), 'username must be 1 to 255 characters'],
  [isString, 'username must be a string'],
  notBlank('username'),
];
const PHONE_NUMBER: readonly Rule[] = [
  [isPossiblePhone, 'phoneNumber must be a phone number with its country prefix, e.g. +3725555555'],
];
const METHOD: readonly Rule[] = [
  [(v) => isIn(v, AUTH_METHODS), `method must be one of: ${AUTH_METHODS.join(', ')}`],
];
const TOKEN: readonly Rule[] = [
  [(v) => isString(v) && matches(v, TOKEN_PATTERN), 'token must be 4 to 12 digits'],
];

/** Collects the broken rules of fields, in order, then throws them all at once. */
class Checks {
  private failed?: InvalidField[];

  field(name: string, value: unknown, rules: readonly Rule[]): this {
    let messages: string[] | undefined;
    for (const [test, message] of rules) if (!test(value)) (messages ??= []).push(message);
    if (messages) (this.failed ??= []).push({ field: name, messages });
    return this;
  }

  /** @throws InvalidDataError naming every failing field; the values are never included. */
  done(): void {
    if (this.failed) throw InvalidDataError.fromFields(this.failed);
  }
}

/**
 * Reads a property the way class-transformer copies one: own and enumerable only, and nothing
 * from the values it converts as a whole instead of copying (dates, sets, maps, buffers, promises).
 */
function own(plain: unknown, key: string): unknown {
  return typeof plain === 'object' && plain !== null && !isConvertedWhole(plain)
    ? spreadOwn(plain, key)
    : undefined;
}

/** Reads a property as `{ ...plain }` copies one: own and enumerable only. */
function spreadOwn(plain: unknown, key: string): unknown {
  return typeof plain === 'object' &&
    plain !== null &&
    Object.prototype.propertyIsEnumerable.call(plain, key)
    ? (plain as Record<string, unknown>)[key]
    : undefined;
}

function isConvertedWhole(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof Set ||
    value instanceof Map ||
    Buffer.isBuffer(value) ||
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** `CreateUserDto`'s transform: spaces, dashes, dots and parentheses removed from strings. */
function normalisePhone(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(PHONE_PUNCTUATION, '') : value;
}

/** `VerifyTokenDto`'s transform: whitespace removed from strings. */
function normaliseToken(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(WHITESPACE, '') : value;
}

/** `ServiceRefArgs`. @throws InvalidDataError */
export function checkServiceRef(serviceId: unknown): void {
  new Checks().field('serviceId', serviceId, SERVICE_ID).done();
}

/** `UserRefArgs`. @throws InvalidDataError */
export function checkUserRef(serviceId: unknown, userId: unknown): void {
  new Checks().field('userId', userId, USER_ID).field('serviceId', serviceId, SERVICE_ID).done();
}

/** `CreateServiceDto`; resolves to the checked fields. @throws InvalidDataError */
export function checkCreateService(service: unknown): { fqdn: string; name: string } {
  const fqdn = own(service, 'fqdn');
  const name = own(service, 'name');
  new Checks().field('fqdn', fqdn, FQDN).field('name', name, NAME).done();
  return { fqdn: fqdn as string, name: name as string };
}

/**
 * `CreateUserArgs` of `{ ...user, serviceId }`; resolves to the checked, normalised fields.
 * @throws InvalidDataError
 */
export function checkCreateUser(
  serviceId: unknown,
  user: unknown,
): { username: string; phoneNumber: string } {
  const username = spreadOwn(user, 'username');
  const phoneNumber = normalisePhone(spreadOwn(user, 'phoneNumber'));
  new Checks()
    .field('serviceId', serviceId, SERVICE_ID)
    .field('username', username, USERNAME)
    .field('phoneNumber', phoneNumber, PHONE_NUMBER)
    .done();
  return { username: username as string, phoneNumber: phoneNumber as string };
}

/** `InitiateAuthArgs`. @throws InvalidDataError */
export function checkInitiate(serviceId: unknown, userId: unknown, method: unknown): AuthMethod {
  new Checks()
    .field('serviceId', serviceId, SERVICE_ID)
    .field('userId', userId, USER_ID)
    .field('method', method, METHOD)
    .done();
  return method as AuthMethod;
}

/** `VerifyTokenArgs`; resolves to the normalised token. @throws InvalidDataError */
export function checkVerify(serviceId: unknown, userId: unknown, token: unknown): string {
  const normalised = normaliseToken(token);
  new Checks()
    .field('serviceId', serviceId, SERVICE_ID)
    .field('userId', userId, USER_ID)
    .field('token', normalised, TOKEN)
    .done();
  return normalised as string;
}
