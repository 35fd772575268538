import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { closestOptionKey } from './reject-unknown-option-keys';

const PREFIX = 'VERIGATOR_';
/** The environment variables of the recommended configuration, in the order the docs list them. */
const VERIGATOR_ENV_NAMES = [
  'VERIGATOR_USERNAME',
  'VERIGATOR_PASSWORD',
  'VERIGATOR_SERVICE_ID',
  'VERIGATOR_ENDPOINT',
  'VERIGATOR_TIMEOUT_MS',
] as const;

/**
 * Refuses an environment with an unknown `VERIGATOR_*` variable (any case), naming it and the
 * closest known one, so that a misspelt `VERIGATOR_ENDPIONT` in `.env` stops the app instead of
 * sending its calls to the production API. Known: `VERIGATOR_USERNAME`, `VERIGATOR_PASSWORD`,
 * `VERIGATOR_SERVICE_ID`, `VERIGATOR_ENDPOINT`, `VERIGATOR_TIMEOUT_MS`. Other variables pass.
 * Returns `env` itself, so it fits `@nestjs/config`'s `validate` as it is, or inside your own.
 * @throws VerigatorConfigurationError naming the variable, never its value
 * @example ConfigModule.forRoot({ validate: validateVerigatorEnv })
 * @example VerigatorModule.forRootAsync({ useFactory: () => readOptions(validateVerigatorEnv(process.env)) })
 */
export function validateVerigatorEnv<Env extends Record<string, unknown>>(env: Env): Env {
  const known: readonly string[] = VERIGATOR_ENV_NAMES;
  for (const name of Object.keys(env)) {
    if (!name.toUpperCase().startsWith(PREFIX) || known.includes(name)) continue;
    // Compared without the prefix, which every name shares and would make any two look close.
    const closest = closestOptionKey(
      name.slice(PREFIX.length),
      known.map((k) => k.slice(PREFIX.length)),
    );
    const suggestion = closest && PREFIX + closest;
    throw new VerigatorConfigurationError(
      name,
      suggestion
        ? `is not a known environment variable; did you mean "${suggestion}"?`
        : `is not a known environment variable (known: ${known.join(', ')})`,
    );
  }
  return env;
}
