/** Limits on what an error keeps of an upstream body. */
export const ERROR_BODY_LIMITS = {
  /** Nesting levels kept; deeper values become `'[…]'`. */
  maxDepth: 5,
  /** Array items and object entries kept per level; the rest is summarised in one entry. */
  maxEntries: 20,
  /** Characters kept of each string (and of a body that is not JSON). */
  maxStringChars: 2048,
} as const;

const TRUNCATED = '[…]';

/**
 * Returns a small copy of an upstream error body, whatever its type: strings are cut, arrays and
 * objects keep their first entries, nesting stops at `maxDepth`. So `JSON.stringify` of an error
 * can never overflow the stack nor log megabytes, however hostile the body was.
 */
export function boundErrorBody(value: unknown, depth = 0): unknown {
  const { maxDepth, maxEntries, maxStringChars } = ERROR_BODY_LIMITS;
  if (typeof value === 'string') {
    return value.length > maxStringChars ? `${value.slice(0, maxStringChars)}…` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return TRUNCATED;
  if (Array.isArray(value)) {
    const kept = value.slice(0, maxEntries).map((item) => boundErrorBody(item, depth + 1));
    if (value.length > maxEntries) kept.push(`[… ${value.length - maxEntries} more]`);
    return kept;
  }
  const entries = Object.entries(value);
  const kept = entries
    .slice(0, maxEntries)
    .map(([key, item]) => [boundErrorBody(key, maxDepth), boundErrorBody(item, depth + 1)]);
  if (entries.length > maxEntries) kept.push(['…', `${entries.length - maxEntries} more`]);
  return Object.fromEntries(kept);
}
