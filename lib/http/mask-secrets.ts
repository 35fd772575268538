/** What replaces a secret wherever the library keeps or shows text it did not write. */
export const SECRET_MASK = '***';

/**
 * Builds a function that returns a copy of a value with every occurrence of the secrets masked
 * in every string (object keys included), however deep. Meant for what an error keeps, after
 * parsing: JSON escapes (`\"`, `\/`, `\uXXXX`) are already decoded there, so the plain secret is
 * what can appear. Text that did not parse is also searched for the secret's JSON-escaped and
 * percent-encoded forms. Values are walked as they are; bound them first (`boundErrorBody`).
 */
export function createSecretMasker(secrets: readonly string[]): <T>(value: T) => T {
  const forms = [
    ...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)])),
  ]
    .filter((form) => form !== '')
    // Longest first, so that `user:password` is masked whole before `password`.
    .sort((a, b) => b.length - a.length);
  const maskText = (text: string): string =>
    forms.reduce((masked, form) => masked.split(form).join(SECRET_MASK), text);
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
