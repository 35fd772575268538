import 'reflect-metadata';
import { CreateServiceDto } from '../dto/create-service.dto';
import { InvalidDataError } from '../errors/invalid-data.error';
import {
  CreateUserArgs,
  InitiateAuthArgs,
  ServiceRefArgs,
  UserRefArgs,
  VerifyTokenArgs,
} from './call-arguments';
import {
  checkCreateService,
  checkCreateUser,
  checkInitiate,
  checkServiceRef,
  checkUserRef,
  checkVerify,
} from './check-arguments';
import { validateInput } from './validate-input';

/*
 * The hand-written checks must accept, normalise and refuse exactly as the DTO classes do, with
 * the same InvalidDataError (message and fields). Every case runs through both.
 */

const ids: unknown[] = [
  'svc-1',
  'a',
  '',
  ' ',
  '.',
  '..',
  '...',
  '.hidden',
  '..\n',
  'a/b?c#d%e',
  'x'.repeat(255),
  'x'.repeat(256),
  '😀'.repeat(200),
  '😀'.repeat(256),
  '\uFE0F'.repeat(300),
  'e\uFE0F'.repeat(200),
  '\uD800',
  `a\uDC00b`,
  5,
  0,
  null,
  undefined,
  true,
  {},
  [],
  ['a'],
  new Date(0),
];
const tokens: unknown[] = [
  '123456',
  '1234',
  '123456789012',
  '123',
  '1234567890123',
  '123 456',
  ' 12 34 ',
  '12\t34\n56',
  '12\u00a034',
  '１２３４',
  '12a4',
  '',
  '    ',
  '123456\n',
  123456,
  null,
  undefined,
  ['123456'],
  {},
];
const phones: unknown[] = [
  '+3725555555',
  '+372 5555 555',
  '+372-5555-555',
  '(+372) 5555.555',
  '+1 (202) 555-0123',
  '+12025550123',
  '3725555555',
  '+1',
  '+',
  '+372555555555555555',
  '+44 7911 123456',
  'abc',
  '',
  '+372\u00a05555555',
  5,
  null,
  undefined,
  {},
];
const usernames: unknown[] = [
  'a\uD800b',
  '\uDC00',
  'john@example.com',
  '',
  'x'.repeat(255),
  'x'.repeat(256),
  '😀'.repeat(255),
  7,
  null,
  undefined,
];
const methods: unknown[] = ['sms', 'totp', 'SMS', 'voice', '', 0, null, undefined, ['sms']];
const fqdns: unknown[] = [
  'coffeeshop.com',
  'sub.coffeeshop.co.uk',
  'coffeeshop.com.',
  'localhost',
  'a..b.com',
  '-a.com',
  'a_b.com',
  'xn--bcher-kva.example',
  'coffee shop.com',
  '',
  5,
  null,
  undefined,
];
const names: unknown[] = [
  'Shop\uDBFF',
  '😀\uDE00',
  'CoffeeShop',
  '',
  'x'.repeat(100),
  'x'.repeat(101),
  '😀'.repeat(100),
  3,
  null,
  undefined,
];

/** What a check did, comparable across both implementations. */
function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (error) {
    if (!(error instanceof InvalidDataError)) throw error;
    return { message: error.message, fields: error.fields };
  }
}

/** A small deterministic PRNG, so the mixed cases are the same on every run. */
function picker(seed: number): <T>(list: readonly T[]) => T {
  let state = seed;
  return (list) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return list[state % list.length];
  };
}
const pick = picker(20261123);
const mixed = <T>(count: number, make: () => T): T[] => Array.from({ length: count }, make);

describe('The hand-written argument checks agree with the DTO classes', () => {
  it.each(ids.map((id) => [id]))('ServiceRefArgs: %p', (serviceId) => {
    expect(outcome(() => checkServiceRef(serviceId))).toEqual(
      outcome(() => void validateInput(ServiceRefArgs, { serviceId })),
    );
  });

  it('UserRefArgs', () => {
    const cases = [
      ...ids.map((id) => [id, 'u'] as const),
      ...ids.map((id) => ['s', id] as const),
      ...mixed(300, () => [pick(ids), pick(ids)] as const),
    ];
    for (const [serviceId, userId] of cases) {
      expect(outcome(() => checkUserRef(serviceId, userId))).toEqual(
        outcome(() => void validateInput(UserRefArgs, { serviceId, userId })),
      );
    }
  });

  it('VerifyTokenArgs, the token normalised alike', () => {
    const cases = [
      ...tokens.map((token) => ['s', 'u', token] as const),
      ...mixed(400, () => [pick(ids), pick(ids), pick(tokens)] as const),
    ];
    for (const [serviceId, userId, token] of cases) {
      expect(outcome(() => checkVerify(serviceId, userId, token))).toEqual(
        outcome(() => validateInput(VerifyTokenArgs, { serviceId, userId, token }).token),
      );
    }
  });

  it('InitiateAuthArgs', () => {
    const cases = [
      ...methods.map((method) => ['s', 'u', method] as const),
      ...mixed(300, () => [pick(ids), pick(ids), pick(methods)] as const),
    ];
    for (const [serviceId, userId, method] of cases) {
      expect(outcome(() => checkInitiate(serviceId, userId, method))).toEqual(
        outcome(() => validateInput(InitiateAuthArgs, { serviceId, userId, method }).method),
      );
    }
  });

  it('CreateUserArgs, the phone number normalised alike, whatever the argument', () => {
    const users: unknown[] = [
      ...phones.map((phoneNumber) => ({ username: 'john@example.com', phoneNumber })),
      ...usernames.map((username) => ({ username, phoneNumber: '+3725555555' })),
      ...mixed(300, () => ({ username: pick(usernames), phoneNumber: pick(phones) })),
      { username: 'a', phoneNumber: '+3725555555', extra: 1 },
      Object.create({ username: 'inherited', phoneNumber: '+3725555555' }),
      ...[new Date(0), new Set(), new Map(), Buffer.from('x'), Promise.resolve()].map((whole) =>
        Object.assign(whole, { username: 'a', phoneNumber: '+3725555555' }),
      ),
      undefined,
      null,
      'john',
      ['john', '+3725555555'],
    ];
    for (const user of users) {
      const serviceId = pick(['s', 's', '', '..', undefined]);
      expect(outcome(() => checkCreateUser(serviceId, user))).toEqual(
        outcome(() => {
          const args = validateInput(CreateUserArgs, { ...(user as object), serviceId });
          return { username: args.username, phoneNumber: args.phoneNumber };
        }),
      );
    }
  });

  it('CreateServiceDto, whatever the argument', () => {
    const services: unknown[] = [
      ...fqdns.map((fqdn) => ({ fqdn, name: 'CoffeeShop' })),
      ...names.map((name) => ({ fqdn: 'coffeeshop.com', name })),
      ...mixed(200, () => ({ fqdn: pick(fqdns), name: pick(names) })),
      Object.create({ fqdn: 'coffeeshop.com', name: 'CoffeeShop' }),
      ...[new Date(0), new Set(), new Map(), Buffer.from('x'), Promise.resolve()].map((whole) =>
        Object.assign(whole, { fqdn: 'coffeeshop.com', name: 'CoffeeShop' }),
      ),
      undefined,
      null,
      'coffeeshop.com',
      [],
    ];
    for (const service of services) {
      expect(outcome(() => checkCreateService(service))).toEqual(
        outcome(() => {
          const { fqdn, name } = validateInput(CreateServiceDto, service);
          return { fqdn, name };
        }),
      );
    }
  });
});
