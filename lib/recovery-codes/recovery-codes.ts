import { createHmac, randomInt } from 'node:crypto';
import { RecoveryCodeStore } from './recovery-code.store';
import { ResolvedRecoveryCodesOptions } from './recovery-codes-options';

/*
 * Recovery codes, the rules:
 * 1. A code is 16 characters of Crockford's base32 (digits and capitals without I, L, O, U),
 *    80 random bits, shown in groups of four: `7WQK-3M9D-HX2P-A4RT`.
 * 2. What a user types is normalised before anything else: case, spaces and dashes do not
 *    matter, and `O`, `I`, `L` read as `0`, `1`, `1`. Anything else that is not 16 such
 *    characters is wrong without a store call.
 * 3. Only keyed hashes are stored: `<version>:<base64url HMAC-SHA-256(secret, code)>`, with the
 *    newest secret. A typed code is checked under every secret version in one `consume` call.
 * 4. Consuming removes the hash in one atomic store step, so of parallel uses exactly one passes,
 *    and no secret comparison happens in this process.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;
const GROUP = 4;
const WELL_FORMED = /^[0-9A-HJKMNP-TV-Z]{16}$/;
/** Spaces and dashes of any kind (copied text may hold non-breaking spaces or en dashes). */
const SEPARATORS = /[\s\u2010-\u2015\u2212-]/g;
const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/**
 * The recovery codes of users, on the configured `RecoveryCodeStore`: what
 * `RecoveryCodesService` and `TwoFactorGuard` share.
 */
export class RecoveryCodes {
  constructor(private readonly options: ResolvedRecoveryCodesOptions) {}

  /** Makes a new set of `count` codes for `owner`, replacing any earlier set. */
  async generate(owner: RecoveryCodeStore.Owner): Promise<string[]> {
    const codes = new Set<string>();
    while (codes.size < this.options.count) codes.add(randomCode());
    const [newest] = this.options.secrets;
    await this.options.store.replace(
      owner,
      [...codes].map((code) => hashOf(normalise(code)!, newest.version, newest.secret)),
    );
    return [...codes];
  }

  /** True when `typed` was one of `owner`'s codes; it is then used up. */
  async consume(owner: RecoveryCodeStore.Owner, typed: string): Promise<boolean> {
    const code = normalise(typed);
    if (code === undefined) return false;
    const candidates = this.options.secrets.map(({ version, secret }) =>
      hashOf(code, version, secret),
    );
    return this.options.store.consume(owner, candidates);
  }

  /** How many unused codes `owner` has. */
  remaining(owner: RecoveryCodeStore.Owner): Promise<number> {
    return this.options.store.count(owner);
  }

  /**
   * Gives `to` the codes of `from` (which then has none): read, replace, clear, so not atomic:
   * a code used on `from` meanwhile may pass once more on `to`.
   */
  async move(from: RecoveryCodeStore.Owner, to: RecoveryCodeStore.Owner): Promise<void> {
    await this.options.store.replace(to, await this.options.store.list(from));
    await this.options.store.clear(from);
  }

  /** Removes every code of `owner`. */
  clear(owner: RecoveryCodeStore.Owner): Promise<void> {
    return this.options.store.clear(owner);
  }
}

/** The code in canonical form (rule 2), or `undefined` when it cannot be one. */
export function normalise(typed: string): string | undefined {
  if (typeof typed !== 'string' || typed.length > 4 * LENGTH) return undefined;
  const code = typed
    .toUpperCase()
    .replace(SEPARATORS, '')
    .replace(/[OIL]/g, (c) => LOOK_ALIKES[c]);
  return WELL_FORMED.test(code) ? code : undefined;
}

function randomCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) {
    if (i > 0 && i % GROUP === 0) code += '-';
    code += ALPHABET[randomInt(ALPHABET.length)];
  }
  return code;
}

function hashOf(code: string, version: string, secret: string): string {
  return `${version}:${createHmac('sha256', secret).update(code).digest('base64url')}`;
}
