import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { VerigatorSimulator } from '../../lib/testing';
import {
  CapturingLogger,
  TestAppSetup,
  TestModuleOptions,
  VerigatorTestApp,
  createVerigatorApp,
} from './create-verigator-app';
import { RecordingServer } from './recording-server';
import { TestSimulatorOptions, startSimulator } from './simulator';

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
