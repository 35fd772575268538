import { RecoveryCodeStore } from './recovery-code.store';

/** Options of `InMemoryRecoveryCodeStore`. */
export interface InMemoryRecoveryCodeStoreOptions {
  /**
   * Lets the store be created in production (`NODE_ENV` set to anything but `development` or
   * `test`), e.g. for a one-instance demo. Its codes vanish with the process, and with them the
   * only way back in for users who lost their phone.
   * @default false
   */
  allowInProduction?: boolean;
}

/**
 * A `RecoveryCodeStore` in this process's memory, for development and tests: codes are lost on
 * restart and not shared between instances. Refused in production unless `allowInProduction`.
 * @throws Error at construction in production without `allowInProduction`.
 */
export class InMemoryRecoveryCodeStore implements RecoveryCodeStore {
  private readonly hashes = new Map<string, Set<string>>();

  constructor(options: InMemoryRecoveryCodeStoreOptions = {}) {
    if (isProduction() && options.allowInProduction !== true) {
      throw new Error(
        'InMemoryRecoveryCodeStore loses every recovery code on restart and is refused in ' +
          'production (NODE_ENV set, to neither development nor test): use RedisRecoveryCodeStore ' +
          'or a store on your database, or pass { allowInProduction: true }',
      );
    }
  }

  async replace(owner: RecoveryCodeStore.Owner, hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) this.hashes.delete(keyOf(owner));
    else this.hashes.set(keyOf(owner), new Set(hashes));
  }

  async consume(owner: RecoveryCodeStore.Owner, candidates: readonly string[]): Promise<boolean> {
    const held = this.hashes.get(keyOf(owner));
    const found = held !== undefined && candidates.some((hash) => held.delete(hash));
    if (held?.size === 0) this.hashes.delete(keyOf(owner));
    return found;
  }

  async count(owner: RecoveryCodeStore.Owner): Promise<number> {
    return this.hashes.get(keyOf(owner))?.size ?? 0;
  }

  async list(owner: RecoveryCodeStore.Owner): Promise<string[]> {
    return [...(this.hashes.get(keyOf(owner)) ?? [])];
  }

  async clear(owner: RecoveryCodeStore.Owner): Promise<void> {
    this.hashes.delete(keyOf(owner));
  }
}

/** One string per owner; JSON keeps `a:b` + `c` apart from `a` + `b:c`. */
function keyOf(owner: RecoveryCodeStore.Owner): string {
  return JSON.stringify([owner.serviceId, owner.userId]);
}

/** `NODE_ENV` values that are not production, compared trimmed and case-insensitively. */
const NOT_PRODUCTION: readonly string[] = ['', 'development', 'test'];

/**
 * Whether `NODE_ENV` means production: any value but unset, empty, `development` or `test`
 * (trimmed, any case), so that `Production`, ` production`, `prod` or `staging` count as
 * production. (The sample applies the same rule in sample/sample-settings.ts.)
 */
function isProduction(nodeEnv: string | undefined = process.env.NODE_ENV): boolean {
  return !NOT_PRODUCTION.includes((nodeEnv ?? '').trim().toLowerCase());
}
