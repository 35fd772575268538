/** `NODE_ENV` values that are not production, compared trimmed and case-insensitively. */
const NOT_PRODUCTION: readonly string[] = ['', 'development', 'test'];

/**
 * Whether `NODE_ENV` means production: any value but unset, empty, `development` or `test`
 * (trimmed, any case), so that `Production`, ` production`, `prod` or `staging` count as
 * production. (The sample applies the same rule in sample/sample-settings.ts.)
 */
export function isProduction(nodeEnv: string | undefined = process.env.NODE_ENV): boolean {
  return !NOT_PRODUCTION.includes((nodeEnv ?? '').trim().toLowerCase());
}
