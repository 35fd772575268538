import { LoggerService } from '@nestjs/common';
import { Server } from 'node:http';
import { VerigatorSimulator } from '../../lib/testing';
import { SampleApp, createSampleApp } from '../../sample/sample-bootstrap';
import { SAMPLE_RATE_LIMITS, SampleRateLimits, SampleSettings } from '../../sample/sample-settings';

/**
 * Rate limits no test reaches: the sample's per-IP throttling would answer most of one test
 * client's requests with 429. Suites about the limits themselves keep the sample's defaults.
 */
export const NO_RATE_LIMITS = Object.fromEntries(
  Object.keys(SAMPLE_RATE_LIMITS).map((name) => [name, { limit: 1_000_000, ttlMs: 60_000 }]),
) as unknown as SampleRateLimits;

/** How a test starts the sample, besides its settings. */
export interface StartSampleOptions {
  /** Listen on 127.0.0.1 with a free port (for clients other than supertest). @default false */
  listen?: boolean;
  /** The app's logger, from before `init()`. @default none */
  logger?: LoggerService;
}

/**
 * Starts the sample app on its embedded simulator, ready for requests: port 0, a 2 s Verigator
 * timeout and {@link NO_RATE_LIMITS} unless `settings` say otherwise.
 */
export async function startSample(
  settings: Partial<SampleSettings> = {},
  { listen = false, logger }: StartSampleOptions = {},
): Promise<SampleApp> {
  const sample = await createSampleApp(
    { port: 0, timeoutMs: 2000, rateLimits: NO_RATE_LIMITS, ...settings },
    false,
  );
  if (logger) sample.app.useLogger(logger);
  if (listen) {
    await sample.app.listen(0, '127.0.0.1');
  } else {
    await sample.app.init();
  }
  if (settings.platform === 'fastify') {
    await (sample.app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  return sample;
}

/** What a suite's tests reach through {@link useSample}. */
export interface SampleBed {
  /** The suite's sample app. */
  readonly sample: SampleApp;
  /** Its HTTP server, for supertest. */
  readonly http: Server;
  /** Its embedded simulator, reset after every test. */
  readonly sim: VerigatorSimulator;
}

/**
 * Registers the hooks of a suite on one sample app (see {@link startSample}): started before
 * the suite, its simulator reset after each test, closed after the suite. Call it inside
 * `describe`.
 */
export function useSample(
  settings: Partial<SampleSettings> = {},
  options: StartSampleOptions = {},
): SampleBed {
  let sample: SampleApp | undefined;
  beforeAll(async () => {
    sample = await startSample(settings, options);
  });
  afterEach(() => sample?.simulator!.reset());
  afterAll(() => sample?.close());
  const started = (): SampleApp => {
    if (!sample) throw new Error('The sample starts in beforeAll');
    return sample;
  };
  return {
    get sample() {
      return started();
    },
    get http() {
      return started().app.getHttpServer() as Server;
    },
    get sim() {
      return started().simulator!;
    },
  };
}
