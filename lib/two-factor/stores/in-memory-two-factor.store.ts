import { Logger, LoggerService } from '@nestjs/common';
import { DEFAULT_TWO_FACTOR_STORE_MAX_ENTRIES } from '../../verigator.constants';
import { isTwoFactorSecurityKey } from './two-factor-store-keys';
import { TwoFactorStore, TwoFactorStoreCounter, TwoFactorStoreRecord } from './two-factor.store';

/** Options of `InMemoryTwoFactorStore`. */
export interface InMemoryTwoFactorStoreOptions {
  /**
   * Most records held at once. When full, expired records go first, then the least recently
   * written records that hold no security decision (cooldowns, remembered successes), and only
   * then lockout counters and send budgets, lowest counts first, with a warning.
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
  /** Eviction tier: 0 for ordinary records, else the counter's value capped at `TOP_TIER`. */
  tier: number;
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
  private readonly entries = new Map<string, Entry>();
  /** Per tier, its keys in order of last write (Maps keep insertion order). */
  private readonly tiers = Array.from({ length: TOP_TIER + 1 }, () => new Map<string, Entry>());
  private readonly maxEntries: number;
  private readonly isSecurityKey: (key: string) => boolean;
  private readonly logger: Pick<LoggerService, 'warn'>;
  private readonly now: () => number;

  constructor(options: InMemoryTwoFactorStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_TWO_FACTOR_STORE_MAX_ENTRIES;
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

  async get(key: string): Promise<TwoFactorStoreRecord | undefined> {
    const entry = this.live(key);
    return entry && { value: entry.value, ttlMs: entry.expiresAt - this.now() };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, value, this.now() + ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.write(key, value, this.now() + ttlMs);
    return true;
  }

  async increment(key: string, ttlMs: number): Promise<TwoFactorStoreCounter> {
    const entry = this.live(key);
    const count = entry ? (Number.parseInt(entry.value, 10) || 0) + 1 : 1;
    const expiresAt = entry ? entry.expiresAt : this.now() + ttlMs;
    this.write(key, String(count), expiresAt);
    return { count, ttlMs: expiresAt - this.now() };
  }

  async decrement(key: string): Promise<void> {
    const entry = this.live(key);
    if (!entry) return;
    const count = Math.max(0, (Number.parseInt(entry.value, 10) || 0) - 1);
    this.write(key, String(count), entry.expiresAt);
  }

  async delete(key: string): Promise<void> {
    this.remove(key);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, value: string, expiresAt: number): void {
    const known = this.entries.get(key);
    if (known) {
      // rewritten in place; moved to the end of its tier, the most recently written
      this.tiers[known.tier].delete(key);
      known.value = value;
      known.expiresAt = expiresAt;
      known.tier = known.tier === 0 ? 0 : securityTier(value);
      this.tiers[known.tier].set(key, known);
      return;
    }
    if (this.entries.size >= this.maxEntries) this.makeRoom();
    const tier = this.isSecurityKey(key) ? securityTier(value) : 0;
    const entry = { value, expiresAt, tier };
    this.entries.set(key, entry);
    this.tiers[tier].set(key, entry);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.tiers[entry.tier].delete(key);
  }

  /**
   * Sweeps expired records, then drops the least recently written records, lowest tier first,
   * until a share is free; warns when live security records had to go.
   */
  private makeRoom(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.remove(key);
    }
    const target = Math.floor(this.maxEntries * (1 - EVICTION_SHARE));
    let securityEvicted = 0;
    for (const tier of this.tiers) {
      for (const key of tier.keys()) {
        if (this.entries.size <= target) break;
        if (this.entries.get(key)!.tier > 0) securityEvicted++;
        this.remove(key);
      }
    }
    if (securityEvicted > 0) {
      this.logger.warn(
        `Full (maxEntries ${this.maxEntries}): dropped ${securityEvicted} live lockout counters ` +
          'and send budgets, whose users get fresh attempts or sends. Raise maxEntries, or ' +
          'use a shared store (Redis) sized for your users.',
      );
    }
  }
}

/** A security counter's tier: its count, from 1 up to `TOP_TIER`. */
function securityTier(value: string): number {
  return Math.min(TOP_TIER, Math.max(1, Number.parseInt(value, 10) || 1));
}
