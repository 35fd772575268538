/**
 * The in-memory store's operations per second and heap per entry, against a plain `Map` behind
 * the same async interface (no TTL, no bound): the floor for an async in-process store.
 */
const v8 = require('node:v8');
const { InMemoryTwoFactorStore } = require('../dist');
const { spread } = require('./lib/stats.cjs');

/** The baseline: a Map with async methods and nothing else. */
class PlainMapStore {
  constructor() {
    this.map = new Map();
  }
  async get(key) {
    const value = this.map.get(key);
    return value === undefined ? undefined : { value, ttlMs: 0 };
  }
  async set(key, value) {
    this.map.set(key, value);
  }
  async setIfAbsent(key, value) {
    if (this.map.has(key)) return false;
    this.map.set(key, value);
    return true;
  }
  async increment(key) {
    const count = (Number(this.map.get(key)) || 0) + 1;
    this.map.set(key, String(count));
    return { count, ttlMs: 0 };
  }
}

const KEYS = Array.from({ length: 10_000 }, (_, i) => `attempts:bench-service:user-${i}`);
const OPERATIONS = {
  get: (store, key) => store.get(key),
  set: (store, key) => store.set(key, 'sms', 60_000),
  setIfAbsent: (store, key) => store.setIfAbsent(key, 'sms', 60_000),
  increment: (store, key) => store.increment(key, 60_000),
};

async function opsPerSecond(store, operation, ops) {
  for (const key of KEYS) await store.set(key, '1', 60_000);
  const started = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await operation(store, KEYS[i % KEYS.length]);
  return ops / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function heapPerEntry(makeStore, entries) {
  global.gc();
  const used0 = v8.getHeapStatistics().used_heap_size;
  const store = makeStore();
  for (let i = 0; i < entries; i++)
    await store.set(`cooldown:bench-service:user-${i}`, 'sms', 60_000);
  global.gc();
  const used1 = v8.getHeapStatistics().used_heap_size;
  if (!store) throw new Error('unreachable'); // keeps `store` alive until measured
  return (used1 - used0) / entries;
}

async function benchInMemoryStore({ rounds, ops, log }) {
  const stores = {
    InMemoryTwoFactorStore: () => new InMemoryTwoFactorStore(),
    'plain Map': () => new PlainMapStore(),
  };
  const samples = {};
  for (const op of Object.keys(OPERATIONS)) {
    samples[op] = Object.fromEntries(Object.keys(stores).map((s) => [s, []]));
  }
  for (let round = 0; round < rounds; round++) {
    for (const [op, operation] of Object.entries(OPERATIONS)) {
      for (const [name, make] of Object.entries(stores)) {
        samples[op][name].push(await opsPerSecond(make(), operation, ops));
      }
    }
  }
  const heap = {};
  for (const [name, make] of Object.entries(stores)) {
    heap[name] = [];
    for (let round = 0; round < 3; round++) heap[name].push(await heapPerEntry(make, 100_000));
  }
  log('  in-memory store done');
  return {
    operations: Object.entries(samples).map(([operation, byStore]) => ({
      operation,
      opsPerSecond: Object.fromEntries(
        Object.entries(byStore).map(([name, runs]) => [name, spread(runs, 0)]),
      ),
      ratio: spread(
        byStore.InMemoryTwoFactorStore.map((r, i) => r / byStore['plain Map'][i]),
        2,
      ),
    })),
    heapBytesPerEntry: Object.fromEntries(
      Object.entries(heap).map(([name, runs]) => [name, spread(runs, 0)]),
    ),
  };
}

module.exports = { benchInMemoryStore };
