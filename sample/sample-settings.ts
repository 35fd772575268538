import { validateVerigatorEnv } from 'nestjs-verigator';

/** Where the sample's Verigator is and how to reach it. */
export interface SampleSettings {
  /** HTTP port of the sample app. */
  port: number;
  /** `NODE_ENV` is set to anything but `development` or `test`: the embedded simulator is refused. */
  production?: boolean;
  /** Milliseconds a Verigator call may take (`VERIGATOR_TIMEOUT_MS`); the module default when absent. */
  timeoutMs?: number;
  /** Redis for the two-factor store (`REDIS_URL`); the in-memory store when absent. */
  redisUrl?: string;
  /**
   * The server-side secret of the recovery codes' keyed hashes (`RECOVERY_CODE_SECRET`, at least
   * 32 characters); required in production. In development, when absent, a random one per start.
   */
  recoveryCodeSecret?: string;
  /** Verigator connection; absent when the embedded simulator is to be started. */
  verigator?: {
    username: string;
    password: string;
    endpoint?: string;
    serviceId: string;
  };
  /** The HTTP platform: Express unless `fastify` (the tests run the sample on both). */
  platform?: 'express' | 'fastify';
  /** Rate limits per client IP (`@nestjs/throttler`); `SAMPLE_RATE_LIMITS` for those absent. */
  rateLimits?: Partial<SampleRateLimits>;
}

/** A limit of `limit` requests per `ttlMs` milliseconds. */
export interface SampleRateLimit {
  limit: number;
  ttlMs: number;
}

/** The sample's rate limits per client IP. */
export interface SampleRateLimits {
  /** `POST /users`. */
  signUp: SampleRateLimit;
  /** Each route behind a second factor. */
  twoFactor: SampleRateLimit;
  /** Each read route (`GET /users`, `GET /users/:verigatorId`). */
  reads: SampleRateLimit;
  /** `GET /health`. */
  health: SampleRateLimit;
  /** SMS the whole app sends (a fifth kept for users who verified before): SMS pumping. */
  sms: SampleRateLimit;
  /** SMS to one number prefix (the first 6 digits of the E.164 number): SMS pumping. */
  smsPerPrefix: SampleRateLimit;
}

/**
 * Default rate limits: per client IP, 5 sign-ups per 10 minutes; per minute, 20 requests on each
 * 2FA route, 30 on each read route and 30 health checks. For the whole app, 500 SMS an hour, 100
 * of them to one number prefix.
 */
export const SAMPLE_RATE_LIMITS: SampleRateLimits = {
  signUp: { limit: 5, ttlMs: 10 * 60_000 },
  twoFactor: { limit: 20, ttlMs: 60_000 },
  reads: { limit: 30, ttlMs: 60_000 },
  health: { limit: 30, ttlMs: 60_000 },
  sms: { limit: 500, ttlMs: 60 * 60_000 },
  smsPerPrefix: { limit: 100, ttlMs: 60 * 60_000 },
};

/** Any of these selects a Verigator outside this process. */
const CONNECTION = ['VERIGATOR_USERNAME', 'VERIGATOR_PASSWORD', 'VERIGATOR_SERVICE_ID'] as const;

/**
 * Reads the sample's settings from the environment: `PORT` (default 3000) and, for the real
 * API, `VERIGATOR_USERNAME`, `VERIGATOR_PASSWORD`, `VERIGATOR_SERVICE_ID` and optionally
 * `VERIGATOR_ENDPOINT`; `VERIGATOR_TIMEOUT_MS`, `REDIS_URL` and `RECOVERY_CODE_SECRET` in both
 * cases. With none of the `VERIGATOR_*` set, the embedded simulator is used, except in
 * production: `NODE_ENV` set to any value but `development` or `test` (trimmed, any case).
 * @throws VerigatorConfigurationError naming the variable and the one it meant when a
 * `VERIGATOR_*` name is unknown (a typo); Error when the real-API configuration is partial, or
 * in production without it or without `RECOVERY_CODE_SECRET`. Never includes a value.
 */
export function readSampleSettings(env: NodeJS.ProcessEnv): SampleSettings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error('PORT must be an integer from 0 to 65535');
  }
  validateVerigatorEnv(env);
  const production = isProduction(env.NODE_ENV);
  const timeoutMs = readTimeout(env.VERIGATOR_TIMEOUT_MS);
  const redisUrl = env.REDIS_URL || undefined;
  const recoveryCodeSecret = env.RECOVERY_CODE_SECRET || undefined;
  const given = [...CONNECTION, 'VERIGATOR_ENDPOINT'].some((name) => env[name] !== undefined);
  if (!given) {
    if (production) {
      throw new Error(
        'In production (NODE_ENV set, to neither development nor test) without VERIGATOR_* ' +
          'settings: the embedded Verigator simulator ' +
          '(whose control API can make any code pass) never runs in production. Set ' +
          `${CONNECTION.join(', ')} (and VERIGATOR_ENDPOINT if not the public API).`,
      );
    }
    return { port, production, timeoutMs, redisUrl, recoveryCodeSecret };
  }
  for (const name of CONNECTION) {
    if (!env[name]?.trim()) throw partial(name);
  }
  if (env.VERIGATOR_ENDPOINT?.trim() === '') throw partial('VERIGATOR_ENDPOINT');
  if (production && !recoveryCodeSecret) {
    throw new Error(
      'In production (NODE_ENV set, to neither development nor test) RECOVERY_CODE_SECRET must ' +
        "be set: the secret of the recovery codes' hashes (e.g. `openssl rand -base64 32`)",
    );
  }
  return {
    port,
    production,
    timeoutMs,
    redisUrl,
    recoveryCodeSecret,
    verigator: {
      username: env.VERIGATOR_USERNAME!,
      password: env.VERIGATOR_PASSWORD!,
      serviceId: env.VERIGATOR_SERVICE_ID!,
      ...(env.VERIGATOR_ENDPOINT !== undefined && { endpoint: env.VERIGATOR_ENDPOINT }),
    },
  };
}

/** `NODE_ENV` values that are not production, compared trimmed and case-insensitively. */
const NOT_PRODUCTION = ['', 'development', 'test'];

/**
 * Whether `NODE_ENV` means production: any value but unset, empty, `development` or `test`
 * (trimmed, any case), so that `Production`, ` production`, `prod` or `staging` never start the
 * embedded simulator.
 */
function isProduction(nodeEnv: string | undefined): boolean {
  return !NOT_PRODUCTION.includes((nodeEnv ?? '').trim().toLowerCase());
}

function partial(name: string): Error {
  return new Error(
    `${name} must be set (not empty): the VERIGATOR_* settings for a Verigator outside this ` +
      'process are partial',
  );
}

function readTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const timeoutMs = Number(value);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new Error('VERIGATOR_TIMEOUT_MS must be a positive integer (milliseconds)');
  }
  return timeoutMs;
}
