/** What replaces a secret wherever the library keeps or shows text it did not write. */
export const SECRET_MASK = '***';

/** A secret next to one of these is part of a longer word or id (`demo-service`), not the secret. */
const GLUED = '[\\p{L}\\p{N}_-]';

/**
 * A secret this long is masked wherever it occurs, even inside a longer word: no word merely
 * contains it by chance. A shorter one (`demo`, a 6-digit token) only where it stands alone.
 */
const MASKED_ANYWHERE_LENGTH = 12;

/**
 * Builds a function that returns a copy of a value with every occurrence of the secrets masked
 * in every string (object keys included), however deep: the plain secret, and its JSON-escaped
 * and percent-encoded forms (as a serialised line or a query string carries them), and base64. A
 * short secret only where it stands alone: `demo` is masked in `"demo"`, `user:demo` or
 * `p=demo&`, not in `demo-service`, which only contains its letters; a long one (12 characters or
 * more) everywhere. Values are walked as they are; bound them first (`boundErrorBody`).
 */
export function createSecretMasker(secrets: readonly string[]): <T>(value: T) => T {
  const forms = [
    ...new Set(
      secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s), base64(s)]),
    ),
  ]
    .filter((form) => form !== '')
    // Longest first, so that `user:password` is masked whole before `password`.
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (value) => value;
  const anywhere = forms.filter((form) => form.length >= MASKED_ANYWHERE_LENGTH);
  const alone = forms.filter((form) => form.length < MASKED_ANYWHERE_LENGTH);
  const pattern = new RegExp(
    [
      ...(anywhere.length ? [`(?:${anywhere.map(escapeRegExp).join('|')})`] : []),
      ...(alone.length
        ? [`(?<!${GLUED})(?:${alone.map(escapeRegExp).join('|')})(?!${GLUED})`]
        : []),
    ].join('|'),
    'gu',
  );
  const maskText = (text: string): string => text.replace(pattern, SECRET_MASK);
  const mask = (value: unknown): unknown => {
    if (typeof value === 'string') return maskText(value);
    if (Array.isArray(value)) return value.map(mask);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskText(k), mask(v)]));
    }
    return value;
  };
  return <T>(value: T) => mask(value) as T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}
