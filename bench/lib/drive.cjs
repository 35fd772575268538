/** Closed-loop load: `concurrency` workers each awaiting `call()` until `calls` are done. */
const { PerformanceObserver, performance } = require('node:perf_hooks');
const v8 = require('node:v8');

/**
 * Runs `calls` calls, `concurrency` at once. Resolves to throughput (calls/s), CPU per call of
 * this process (µs, user + system) and the latencies' p50/p99 (µs).
 */
async function drive(call, calls, concurrency) {
  const latencies = new Float64Array(calls);
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      const started = performance.now();
      await call();
      latencies[i] = performance.now() - started;
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort();
  return {
    throughput: (calls / wallMs) * 1000,
    cpuUs: (cpu.user + cpu.system) / calls,
    p50Us: latencies[Math.floor(calls * 0.5)] * 1000,
    p99Us: latencies[Math.min(calls - 1, Math.floor(calls * 0.99))] * 1000,
  };
}

const collections = []; // start times of every GC, as the observer delivers them (late)
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push(entry.startTime);
}).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * Heap allocated per call, in bytes: after a full GC, `calls` calls (`concurrency` at once) run
 * inside the young generation without any collection (the process runs with a 64 MB semi-space),
 * so the growth of the used heap is what they allocated. Resolves to undefined when a collection
 * happened anyway (the sample is then discarded). Needs `--expose-gc`.
 */
async function allocationPerCall(call, calls, concurrency) {
  global.gc();
  await settle();
  const t0 = performance.now();
  const used0 = v8.getHeapStatistics().used_heap_size;
  let next = 0;
  const worker = async () => {
    while (next++ < calls) await call();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used1 = v8.getHeapStatistics().used_heap_size;
  const t1 = performance.now();
  await settle();
  const collected = collections.some((start) => start >= t0 && start <= t1);
  collections.length = 0;
  return collected ? undefined : (used1 - used0) / calls;
}

module.exports = { drive, allocationPerCall };
