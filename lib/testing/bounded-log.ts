/** Entries kept by each of the simulator's logs (SMS outbox, request log); older ones are dropped. */
export const SIMULATOR_LOG_LIMIT = 10_000;

/** An append-only list that keeps only the newest `limit` entries, in a ring buffer. */
export class BoundedLog<T> {
  private entries: T[] = [];
  private start = 0;

  constructor(private readonly limit: number = SIMULATOR_LOG_LIMIT) {}

  push(entry: T): void {
    if (this.entries.length < this.limit) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.start] = entry;
    this.start = (this.start + 1) % this.limit;
  }

  /** The entries, oldest first. */
  toArray(): T[] {
    return this.entries.slice(this.start).concat(this.entries.slice(0, this.start));
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}
