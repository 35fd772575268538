import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { limitJsonBody } from 'nestjs-verigator';
import { VerigatorSimulator } from 'nestjs-verigator/testing';
import { AppModule, SampleConfig } from './app.module';
import { SampleSettings } from './sample-settings';

/** The id of the Verigator service the embedded simulator starts with. */
export const SAMPLE_SERVICE_ID = 'nest-sample-service';

/** A built (not yet listening) sample app, and the simulator it runs on when embedded. */
export interface SampleApp {
  app: INestApplication;
  config: SampleConfig;
  /** Present when no real Verigator was configured. */
  simulator?: VerigatorSimulator;
  /** Closes the app, then the embedded simulator. */
  close(): Promise<void>;
}

/**
 * Creates the sample app. Without Verigator credentials in `settings`, it first starts the
 * simulator in this process (with one service, {@link SAMPLE_SERVICE_ID}), points the app at it
 * and warns; in production it refuses instead, as the simulator's control API defeats 2FA.
 * @throws Error in production without Verigator credentials.
 */
export async function createSampleApp(
  settings: SampleSettings,
  logger: Logger | false = new Logger('Sample'),
): Promise<SampleApp> {
  let simulator: VerigatorSimulator | undefined;
  let verigator: Omit<SampleConfig, 'REDIS_URL' | 'RECOVERY_CODE_SECRET'>;
  if (settings.verigator) {
    const { username, password, endpoint, serviceId } = settings.verigator;
    verigator = {
      VERIGATOR_USERNAME: username,
      VERIGATOR_PASSWORD: password,
      VERIGATOR_ENDPOINT: endpoint,
      VERIGATOR_SERVICE_ID: serviceId,
      VERIGATOR_TIMEOUT_MS: settings.timeoutMs,
    };
  } else {
    if (settings.production) {
      throw new Error(
        'In production (NODE_ENV set, to neither development nor test) without VERIGATOR_* ' +
          'settings: the embedded Verigator simulator ' +
          '(whose control API can make any code pass) never runs in production',
      );
    }
    const password = randomBytes(12).toString('base64url');
    simulator = await VerigatorSimulator.start({
      username: 'sample',
      password,
      seed: { services: [{ id: SAMPLE_SERVICE_ID, name: 'Nest sample', fqdn: 'sample.local' }] },
    });
    if (logger) {
      logger.warn(
        `No VERIGATOR_* settings: running on the embedded Verigator simulator at ` +
          `${simulator.url}. Its control API reads every code and can make any code pass: ` +
          'for development only (refused unless NODE_ENV is unset, development or test).',
      );
    }
    verigator = {
      VERIGATOR_USERNAME: 'sample',
      VERIGATOR_PASSWORD: password,
      VERIGATOR_ENDPOINT: simulator.url,
      VERIGATOR_SERVICE_ID: SAMPLE_SERVICE_ID,
      VERIGATOR_TIMEOUT_MS: settings.timeoutMs,
    };
  }
  const config: SampleConfig = {
    ...verigator,
    REDIS_URL: settings.redisUrl,
    RECOVERY_CODE_SECRET: settings.recoveryCodeSecret ?? randomBytes(32).toString('base64'),
  };
  if (logger && settings.redisUrl) logger.log('Two-factor stores: Redis at REDIS_URL');
  if (logger && !settings.recoveryCodeSecret) {
    logger.warn(
      'No RECOVERY_CODE_SECRET: a random one for this run (development only), so recovery ' +
        'codes stop working at restart. Set one, e.g. `openssl rand -base64 32`.',
    );
  }
  try {
    const module = AppModule.forRoot(config, settings.rateLimits);
    const options = { logger: logger ? undefined : false } as const;
    const app =
      settings.platform === 'fastify'
        ? await NestFactory.create(module, await fastifyAdapter(), options)
        : await NestFactory.create(module, options);
    limitJsonBody(app, { maxBytes: 8_192 });
    return {
      app,
      config,
      simulator,
      close: async () => {
        await app.close();
        await simulator?.close();
      },
    };
  } catch (error) {
    await simulator?.close();
    throw error;
  }
}

/** Fastify's adapter, loaded only when asked for. */
async function fastifyAdapter() {
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return new FastifyAdapter();
}
