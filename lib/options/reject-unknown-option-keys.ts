import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { closestOptionKey } from './closest-option-key';

/**
 * Fails when `options` has a key that is not in `known`, naming it and the closest known key,
 * so that a misspelt option (`endpont`) stops the bootstrap instead of being silently ignored.
 * @param where prefix of the option's name in the message, e.g. `twoFactor`
 * @throws VerigatorConfigurationError naming the unknown key
 */
export function rejectUnknownOptionKeys(
  options: object,
  known: readonly string[],
  where?: string,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = closestOptionKey(key, known);
    throw new VerigatorConfigurationError(
      where ? `${where}.${key}` : key,
      suggestion
        ? `is not a known option; did you mean "${suggestion}"?`
        : `is not a known option (known: ${known.join(', ')})`,
    );
  }
}
