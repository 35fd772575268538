import { DEFAULT_TWO_FACTOR_STORE_MAX_ENTRIES } from '../../verigator.constants';
import { TwoFactorStore, TwoFactorStoreCounter, TwoFactorStoreRecord } from './two-factor.store';

/** Options of `InMemoryTwoFactorStore`. */
export interface InMemoryTwoFactorStoreOptions {
  /**
   * Most records held at once. When full, expired records go first, then the least recently
   * written ones (a counter is written by its first increment), so memory stays bounded
   * whatever the number of users.
   * @default 100000
   */
  maxEntries?: number;
  /** Current time in milliseconds; replace it in tests. @default Date.now */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** Share of `maxEntries` freed at once when full, so sweeps stay rare. */
const EVICTION_SHARE = 0.1;

/**
 * The default `TwoFactorStore`: a bounded map in this process, with TTL expiry.
 * Fine for one instance; with several, provide a shared store (Redis) so that counters and
 * cooldowns hold across instances.
 */
export class InMemoryTwoFactorStore implements TwoFactorStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: InMemoryTwoFactorStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_TWO_FACTOR_STORE_MAX_ENTRIES;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('InMemoryTwoFactorStore maxEntries must be a positive integer');
    }
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** Number of records held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<TwoFactorStoreRecord | undefined> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry && { value: entry.value, ttlMs: entry.expiresAt - now };
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, { value, expiresAt: this.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    if (this.live(key, now)) return false;
    this.write(key, { value, expiresAt: now + ttlMs });
    return true;
  }

  /** Updates a live counter in place: it keeps its place and its window from the first hit. */
  async increment(key: string, ttlMs: number): Promise<TwoFactorStoreCounter> {
    const now = this.now();
    const entry = this.live(key, now);
    if (!entry) {
      this.write(key, { value: '1', expiresAt: now + ttlMs });
      return { count: 1, ttlMs };
    }
    const count = (Number.parseInt(entry.value, 10) || 0) + 1;
    entry.value = String(count);
    return { count, ttlMs: entry.expiresAt - now };
  }

  async decrement(key: string): Promise<void> {
    const entry = this.live(key, this.now());
    if (entry) entry.value = String(Math.max(0, (Number.parseInt(entry.value, 10) || 0) - 1));
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

  private write(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.makeRoom();
    this.entries.set(key, entry);
  }

  /** Sweeps expired records, then drops the least recently written until a share is free. */
  private makeRoom(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
    const target = Math.floor(this.maxEntries * (1 - EVICTION_SHARE));
    for (const key of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
    }
  }
}
