import { INestApplication } from '@nestjs/common';
import { InMemoryTwoFactorStore } from '../../lib';
import { TwoFactorModuleOptions } from '../../lib/two-factor/two-factor-options.interface';
import request from 'supertest';
import { VerigatorSimulator } from '../../lib/testing';
import {
  AccountController,
  AdapterFactory,
  CapturingLogger,
  TestAppSetup,
  TestModuleOptions,
  VerigatorTestApp,
  createVerigatorApp,
} from './create-verigator-app';
import { RecordingServer } from './recording-server';
import { SHORT_TIMEOUT, TestSimulatorOptions, startSimulator } from './simulator';

/** What a suite's tests reach through {@link useTestBed}. */
export interface TestBed {
  /** The suite's simulator, reset after every test. */
  readonly sim: VerigatorSimulator;
  /** The test's app, from the last {@link TestBed.boot}. */
  readonly app: INestApplication;
  /** The test's app's log. */
  readonly logger: CapturingLogger;
  /** Boots the test's app on the simulator (see `createVerigatorApp()`); it is closed after the test. */
  boot(options?: TestModuleOptions, setup?: TestAppSetup): Promise<VerigatorTestApp>;
  /** A supertest agent on the test's app. */
  http(): ReturnType<typeof request>;
}

/**
 * Registers the hooks of a suite that runs apps against the simulator: one simulator for the
 * suite (`simulator` options, see `startSimulator()`), apps booted by the tests and closed after
 * each one, and the simulator reset after each test. Call it inside `describe`.
 */
export function useTestBed(simulator: TestSimulatorOptions = {}): TestBed {
  let sim: VerigatorSimulator | undefined;
  const booted: VerigatorTestApp[] = [];
  beforeAll(async () => {
    sim = await startSimulator(simulator);
  });
  afterEach(async () => {
    for (const { app } of booted.splice(0)) await app.close();
    sim?.reset();
  });
  afterAll(() => sim?.close());

  const last = (): VerigatorTestApp => {
    if (booted.length === 0) throw new Error('No app: call boot() first');
    return booted[booted.length - 1];
  };
  return {
    get sim() {
      if (!sim) throw new Error('The simulator starts in beforeAll');
      return sim;
    },
    get app() {
      return last().app;
    },
    get logger() {
      return last().logger;
    },
    async boot(options = {}, setup = {}) {
      const testApp = await createVerigatorApp(this.sim.url, options, setup);
      booted.push(testApp);
      return testApp;
    },
    http() {
      return request(last().app.getHttpServer());
    },
  };
}

/** What a suite's tests reach through {@link useRecordedClient}. */
export interface RecordedClientBed<S extends RecordingServer> {
  /** The suite's upstream; its record and queued replies are cleared before every test. */
  readonly upstream: S;
  /** The suite's app on `upstream`. */
  readonly client: VerigatorTestApp;
}

/**
 * Registers the hooks of a suite whose tests call a scripted upstream: `server` (a plain
 * `RecordingServer` by default) started for the suite, and one app on it (see
 * `createVerigatorApp()`, module `options`), both closed after the suite. Call it inside `describe`.
 */
export function useRecordedClient<S extends RecordingServer = RecordingServer>(
  options: TestModuleOptions = {},
  server: S = new RecordingServer() as S,
): RecordedClientBed<S> {
  let client: VerigatorTestApp | undefined;
  beforeAll(async () => {
    await server.start();
    client = await createVerigatorApp(server.url, options);
  });
  beforeEach(() => server.clear());
  afterAll(async () => {
    await client?.app.close();
    await server.close();
  });
  return {
    upstream: server,
    get client() {
      if (!client) throw new Error('The client starts in beforeAll');
      return client;
    },
  };
}

/** What a guard suite's tests reach through {@link useGuardBed}, besides the {@link TestBed}. */
export interface GuardBed extends TestBed {
  /** Moves the two-factor store's clock, which starts at the wall-clock time in every test. */
  advance(ms: number): void;
  /**
   * Boots the test's app on `adapter` with `AccountController` and `setup`'s controllers and
   * providers; the guard's `twoFactor` options with an in-memory store on the test's clock, a
   * {@link SHORT_TIMEOUT} unless `options` say otherwise. Answers an agent on it.
   */
  bootGuard(
    twoFactor?: TwoFactorModuleOptions,
    setup?: TestAppSetup,
    options?: TestModuleOptions,
  ): Promise<() => ReturnType<typeof request>>;
}

/**
 * {@link useTestBed} for suites about the guard's decisions: apps on one adapter, whose store's
 * time the tests move instead of waiting. Call it inside `describe`.
 */
export function useGuardBed(
  adapter: AdapterFactory,
  simulator: TestSimulatorOptions = {},
): GuardBed {
  const bed = useTestBed(simulator);
  let now = 0;
  beforeEach(() => {
    now = Date.now();
  });
  // The bed is the prototype, so that its getters stay live.
  return Object.assign(Object.create(bed) as TestBed, {
    advance(ms: number) {
      now += ms;
    },
    async bootGuard(
      twoFactor: TwoFactorModuleOptions = {},
      { controllers = [], ...setup }: TestAppSetup = {},
      options: TestModuleOptions = {},
    ) {
      const store = new InMemoryTwoFactorStore({ now: () => now });
      await bed.boot(
        { timeout: SHORT_TIMEOUT, ...options, twoFactor: { store, ...twoFactor } },
        { adapter, controllers: [AccountController, ...controllers], ...setup },
      );
      return () => bed.http();
    },
  });
}
