/**
 * Runs `bench/stores.cjs` (the guard's decisions per second on RedisTwoFactorStore vs the
 * in-memory store; it starts its own redis-server) and resolves to the JSON it prints last, or to
 * `{ skipped }` with the reason.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { stopWithProcess } = require('./stop-with-process.cjs');

const SCRIPT = join(__dirname, '..', 'stores.cjs');

function benchRedisStore({ rounds, log }) {
  return new Promise((resolve) => {
    // SIGTERM, so that the script stops its redis-server before it ends.
    const child = stopWithProcess(
      spawn(process.execPath, [SCRIPT], {
        env: { ...process.env, BENCH_ROUNDS: String(rounds), BENCH_REQUESTS: '1500' },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
      'SIGTERM',
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exited with ${code}`);
        log('  redis store done');
        resolve(JSON.parse(last));
      } catch (error) {
        resolve({ skipped: `bench/stores.cjs failed: ${error.message}` });
      }
    });
  });
}

module.exports = { benchRedisStore };
