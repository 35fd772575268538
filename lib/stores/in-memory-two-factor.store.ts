import { Logger, LoggerService } from '@nestjs/common';
import { isTwoFactorSecurityKey } from './two-factor-store-keys';
import { TwoFactorStore } from './two-factor.store';

/** Default cap on the entries the store holds. */
const DEFAULT_MAX_ENTRIES = 100_000;

/** Options of `InMemoryTwoFactorStore`. */
export interface InMemoryTwoFactorStoreOptions {
  /**
   * Most records held at once. When full, expired records go first, then the least recently
   * written records that hold no security decision (cooldowns, remembered successes), and only
   * then lockout counters, send budgets and pending SMS records, lowest counts first, with a
   * warning.
   * @default 100000
   */
  maxEntries?: number;
  /**
   * Which keys hold a security decision, to keep longest.
   * @default isTwoFactorSecurityKey: the guard's `attempts` (lockout) and `sends` (budget) keys
   */
  isSecurityKey?: (key: string) => boolean;
  /** Where the eviction warning goes. @default new Logger('InMemoryTwoFactorStore') */
  logger?: Pick<LoggerService, 'warn'>;
  /** Current time in milliseconds; replace it in tests. @default Date.now */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
  /** Whether it holds a security decision (`isSecurityKey`), to keep longest. */
  security: boolean;
}

/** Share of `maxEntries` freed at once when full, so sweeps stay rare. */
const EVICTION_SHARE = 0.1;
/** Security counters at or above this count share the last tier (5: the default limits). */
const TOP_TIER = 5;

/**
 * The default `TwoFactorStore`: a bounded map in this process, with TTL expiry.
 * Fine for one instance; with several, provide a shared store (Redis) so that counters and
 * cooldowns hold across instances. Each operation is O(1); a full store sweeps once per
 * `maxEntries / 10` writes.
 */
export class InMemoryTwoFactorStore implements TwoFactorStore {
  /** The records in order of last write (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly isSecurityKey: (key: string) => boolean;
  private readonly logger: Pick<LoggerService, 'warn'>;
  private readonly now: () => number;

  constructor(options: InMemoryTwoFactorStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('InMemoryTwoFactorStore maxEntries must be a positive integer');
    }
    this.maxEntries = maxEntries;
    this.isSecurityKey = options.isSecurityKey ?? isTwoFactorSecurityKey;
    this.logger = options.logger ?? new Logger('InMemoryTwoFactorStore');
    this.now = options.now ?? Date.now;
  }

  /** Number of records held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<TwoFactorStore.Record | undefined> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry && { value: entry.value, ttlMs: entry.expiresAt - now };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, value, this.now() + ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    if (this.live(key, now)) return false;
    this.write(key, value, now + ttlMs);
    return true;
  }

  async increment(key: string, ttlMs: number): Promise<TwoFactorStore.Counter> {
    const now = this.now();
    const entry = this.live(key, now);
    if (!entry) {
      this.write(key, '1', now + ttlMs);
      return { count: 1, ttlMs };
    }
    const count = (Number.parseInt(entry.value, 10) || 0) + 1;
    this.write(key, String(count), entry.expiresAt, entry);
    return { count, ttlMs: entry.expiresAt - now };
  }

  async decrement(key: string): Promise<void> {
    const entry = this.live(key, this.now());
    if (!entry) return;
    this.write(
      key,
      String(Math.max(0, (Number.parseInt(entry.value, 10) || 0) - 1)),
      entry.expiresAt,
      entry,
    );
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Stores a record as the most recently written. A key already held keeps its entry (updated in
   * place, moved to the end, its kind known): no new object, no room check.
   */
  private write(key: string, value: string, expiresAt: number, held = this.entries.get(key)): void {
    if (held) {
      this.entries.delete(key);
      held.value = value;
      held.expiresAt = expiresAt;
      this.entries.set(key, held);
      return;
    }
    if (this.entries.size >= this.maxEntries) this.makeRoom();
    this.entries.set(key, { value, expiresAt, security: this.isSecurityKey(key) });
  }

  /**
   * Sweeps expired records, then drops the least recently written records of the lowest tier
   * first (ordinary records, then security records by count) until a share is free; warns when
   * live security records had to go. One pass sorts the keys into tiers.
   */
  private makeRoom(): void {
    const now = this.now();
    const tiers: string[][] = Array.from({ length: TOP_TIER + 1 }, () => []);
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else tiers[entry.security ? counterTier(entry.value) : 0].push(key);
    }
    let excess = this.entries.size - Math.floor(this.maxEntries * (1 - EVICTION_SHARE));
    let securityEvicted = 0;
    for (const [tier, keys] of tiers.entries()) {
      const dropped = keys.slice(0, Math.max(0, excess));
      for (const key of dropped) this.entries.delete(key);
      if (tier > 0) securityEvicted += dropped.length;
      excess -= keys.length;
    }
    if (securityEvicted > 0) {
      this.logger.warn(
        `Full (maxEntries ${this.maxEntries}): dropped ${securityEvicted} live lockout counters ` +
          'and send budgets (or pending SMS records), whose users get fresh attempts or sends. ' +
          'Raise maxEntries, or ' +
          'use a shared store (Redis) sized for your users.',
      );
    }
  }
}

/** A security record's tier: its count, from 1 up to `TOP_TIER` (0 is for ordinary records). */
function counterTier(value: string): number {
  return Math.min(TOP_TIER, Math.max(1, Number.parseInt(value, 10) || 1));
}
