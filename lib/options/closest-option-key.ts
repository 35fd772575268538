import { closest, distance } from 'fastest-levenshtein';

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
