import { E164_PHONE_NUMBER } from './validation';

/** A user created at start-up (and again after every reset) with a known id. */
export interface SeedUser {
  /** The user id the API will answer with. */
  id: string;
  /** The `id_in_service` (the login name in your application). */
  username: string;
  /** E.164 phone number, e.g. `+3725555555`. */
  phoneNumber: string;
}

/** A service created at start-up (and again after every reset) with a known id. */
export interface SeedService {
  /** The service id the API will answer with. */
  id: string;
  name: string;
  fqdn: string;
  users?: SeedUser[];
}

/**
 * Services and users that exist as soon as the simulator starts, so demos and tests can use fixed
 * ids. `POST /_simulator/reset` restores exactly this state.
 *
 * @example
 * { "services": [{ "id": "demo-service", "name": "Demo", "fqdn": "demo.local",
 *   "users": [{ "id": "demo-user", "username": "alice", "phoneNumber": "+3725555555" }] }] }
 */
export interface SimulatorSeed {
  services: SeedService[];
}

/**
 * Checks that `value` is a well-formed {@link SimulatorSeed} and returns it.
 *
 * @throws Error naming the first offending field, e.g. `seed.services[0].users[1].phoneNumber`.
 */
export function validateSeed(value: unknown): SimulatorSeed {
  const root = requireObject(value, 'seed');
  if (!Array.isArray(root.services)) {
    throw new Error('seed.services must be an array');
  }
  const serviceIds = new Set<string>();
  const services = root.services.map((rawService: unknown, i): SeedService => {
    const where = `seed.services[${i}]`;
    const service = requireObject(rawService, where);
    const id = requireText(service.id, `${where}.id`);
    if (serviceIds.has(id)) {
      throw new Error(`${where}.id duplicates service id "${id}"`);
    }
    serviceIds.add(id);
    const users = service.users === undefined ? [] : service.users;
    if (!Array.isArray(users)) {
      throw new Error(`${where}.users must be an array`);
    }
    const userIds = new Set<string>();
    const usernames = new Set<string>();
    return {
      id,
      name: requireText(service.name, `${where}.name`),
      fqdn: requireText(service.fqdn, `${where}.fqdn`),
      users: users.map((rawUser: unknown, j): SeedUser => {
        const userWhere = `${where}.users[${j}]`;
        const user = requireObject(rawUser, userWhere);
        const userId = requireText(user.id, `${userWhere}.id`);
        const username = requireText(user.username, `${userWhere}.username`);
        const phoneNumber = requireText(user.phoneNumber, `${userWhere}.phoneNumber`);
        if (userIds.has(userId)) {
          throw new Error(`${userWhere}.id duplicates user id "${userId}"`);
        }
        if (usernames.has(username)) {
          throw new Error(`${userWhere}.username duplicates "${username}" in the same service`);
        }
        if (!E164_PHONE_NUMBER.test(phoneNumber)) {
          throw new Error(`${userWhere}.phoneNumber must be in E.164 format, e.g. +3725555555`);
        }
        userIds.add(userId);
        usernames.add(username);
        return { id: userId, username, phoneNumber };
      }),
    };
  });
  return { services };
}

function requireObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

function requireText(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${where} must be a non-empty string`);
  }
  return value;
}
