import { RecordedRequest, SimulatorFault, VerigatorSimulator } from '../../lib/testing';
import type { SimulatorSeed, VerigatorSimulatorOptions } from '../../lib/testing';
import { SERVICE_ID, TEST_PASSWORD, TEST_USERNAME } from './create-verigator-app';

/**
 * A token the test simulator accepts for every user, every time (its `benchmarkToken`): for tests
 * about what the app does with a verification, not about which code the user received (those read
 * it with `sim.lastCode()` or `sim.totp()`).
 */
export const VALID_TOKEN = '123456';

/** The users every test service holds (ids, also their usernames). */
export const TEST_USERS = [
  ...['u-1', 'u-2', 'u-3', 'u-7', 'u-9', 'u-app', 'u-no-app', 'no-app', 'has-app'],
  ...['alice', 'bob', 'carol', 'dave', 'mallory', 'victim'],
];

/** A user of the test services: an id (also its username), or all of it. */
export type TestUser = string | NonNullable<SimulatorSeed['services'][number]['users']>[number];

/** What the test simulator holds, besides the simulator's own options. */
export interface TestSimulatorOptions extends VerigatorSimulatorOptions {
  /** Services besides {@link SERVICE_ID}, each with the same users (unless `seed` is given). */
  services?: string[];
  /** The users of every service (unless `seed` is given). @default TEST_USERS */
  users?: TestUser[];
}

/**
 * Starts the Verigator simulator for the test apps (see `createVerigatorApp()`): it accepts their
 * credentials and {@link VALID_TOKEN}, and holds {@link SERVICE_ID} and `services`, each with
 * `users` (or the `seed` given); `sim.reset()` restores exactly that.
 */
export function startSimulator(options: TestSimulatorOptions = {}): Promise<VerigatorSimulator> {
  const { services = [], users = TEST_USERS, ...rest } = options;
  return VerigatorSimulator.start({
    username: TEST_USERNAME,
    password: TEST_PASSWORD,
    benchmarkToken: VALID_TOKEN,
    seed: {
      services: [SERVICE_ID, ...services].map((id) => ({
        id,
        name: `Service ${id}`,
        fqdn: `${id}.example.com`,
        users: users.map((user, i) =>
          typeof user === 'string'
            ? { id: user, username: user, phoneNumber: `+37255${String(i).padStart(6, '0')}` }
            : user,
        ),
      })),
    },
    ...rest,
  });
}

/** A recorded `…/auth` request, with its JSON body. */
export type AuthRequest = RecordedRequest & { body: { method?: string; token?: string } };

/** Initiate requests (`POST …/auth`) the simulator received, oldest first. */
export function initiates(sim: VerigatorSimulator): AuthRequest[] {
  return authRequests(sim, 'POST');
}

/** Verify requests (`PUT …/auth`) the simulator received, oldest first. */
export function verifies(sim: VerigatorSimulator): AuthRequest[] {
  return authRequests(sim, 'PUT');
}

function authRequests(sim: VerigatorSimulator, method: string): AuthRequest[] {
  return sim
    .requests()
    .filter((r): r is AuthRequest => r.method === method && r.path.endsWith('/auth'));
}

/**
 * A fault that never answers: the client's timeout ends the call. Suites that use it give their
 * apps {@link SHORT_TIMEOUT}.
 */
export const NO_ANSWER: SimulatorFault = { delayMs: 3_600_000 };

/**
 * A client timeout for suites with {@link NO_ANSWER}: long enough for a cold start on a busy
 * machine, short enough for the tests that wait it out (others keep the library's 5 s).
 */
export const SHORT_TIMEOUT = 1_000;

/**
 * Answers every API request with `fault` (see `SimulatorFault`) from now on, until the next call
 * or `sim.clearFaults()`.
 */
export function failEveryRequest(sim: VerigatorSimulator, fault: SimulatorFault): void {
  sim.clearFaults();
  sim.injectFault({ times: 1_000_000, ...fault });
}

/**
 * A fault that answers the next verify as Verigator answers a code that failed as `result`
 * (an expired or throttled code, without waiting out the expiry or making the wrong guesses).
 */
export function verifyFails(result: 'EXPIRED' | 'THROTTLED'): SimulatorFault {
  return {
    method: 'PUT',
    path: '/**/auth',
    status: 200,
    body: {
      verified: false,
      status: {
        throttled: result === 'THROTTLED',
        expired: result === 'EXPIRED',
        invalid: false,
        result,
      },
    },
  };
}
