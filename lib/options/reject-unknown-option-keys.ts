import { closest, distance } from 'fastest-levenshtein';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';

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

/**
 * The known key closest to a misspelt one (Levenshtein distance, case-insensitive), or
 * `undefined` when none is near enough to be a plausible typo (more than half the key differs).
 */
export function closestOptionKey(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const lower = key.toLowerCase();
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  const match = closest(lower, [...byLower.keys()]);
  return distance(lower, match) <= Math.max(2, Math.ceil(match.length / 2))
    ? byLower.get(match)
    : undefined;
}
