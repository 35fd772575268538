/** Where the sample's Verigator is and how to reach it. */
export interface SampleSettings {
  /** HTTP port of the sample app. */
  port: number;
  /** Milliseconds a Verigator call may take (`VERIGATOR_TIMEOUT_MS`); the module default when absent. */
  timeoutMs?: number;
  /** Redis for the two-factor store (`REDIS_URL`); the in-memory store when absent. */
  redisUrl?: string;
  /** Verigator connection; absent when the embedded simulator is to be started. */
  verigator?: {
    username: string;
    password: string;
    endpoint?: string;
    serviceId: string;
  };
}

/**
 * Reads the sample's settings from the environment: `PORT` (default 3000) and, for the real
 * API, `VERIGATOR_USERNAME`, `VERIGATOR_PASSWORD`, `VERIGATOR_SERVICE_ID` and optionally
 * `VERIGATOR_ENDPOINT`; `VERIGATOR_TIMEOUT_MS` and `REDIS_URL` in both cases. With none of the `VERIGATOR_*` credentials set, the embedded simulator
 * is used.
 * @throws Error naming the variable when the real-API configuration is incomplete.
 */
export function readSampleSettings(env: NodeJS.ProcessEnv): SampleSettings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error('PORT must be an integer from 0 to 65535');
  }
  const timeoutMs = env.VERIGATOR_TIMEOUT_MS ? Number(env.VERIGATOR_TIMEOUT_MS) : undefined;
  const redisUrl = env.REDIS_URL || undefined;
  const { VERIGATOR_USERNAME, VERIGATOR_PASSWORD, VERIGATOR_ENDPOINT, VERIGATOR_SERVICE_ID } = env;
  if (!VERIGATOR_USERNAME && !VERIGATOR_PASSWORD && !VERIGATOR_ENDPOINT) {
    return { port, timeoutMs, redisUrl };
  }
  for (const [name, value] of Object.entries({
    VERIGATOR_USERNAME,
    VERIGATOR_PASSWORD,
    VERIGATOR_SERVICE_ID,
  })) {
    if (!value) throw new Error(`${name} must be set to use a Verigator outside this process`);
  }
  return {
    port,
    timeoutMs,
    redisUrl,
    verigator: {
      username: VERIGATOR_USERNAME!,
      password: VERIGATOR_PASSWORD!,
      endpoint: VERIGATOR_ENDPOINT || undefined,
      serviceId: VERIGATOR_SERVICE_ID!,
    },
  };
}
