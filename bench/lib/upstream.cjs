/**
 * Starts the upstream, the `verigator-simulator` CLI in benchmarking mode, in its own process, so
 * its CPU never counts against a contender's. Resolves to `{ url, stop() }`.
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/** What the benchmark asks for: one service with one user, and the token that always verifies. */
const UPSTREAM = {
  username: 'bench',
  password: 'bench-password-0123456789',
  serviceId: 'bench-service',
  userId: 'bench-user',
  token: '424242',
};

async function startUpstream() {
  const dir = mkdtempSync(join(tmpdir(), 'verigator-bench-'));
  const seed = join(dir, 'seed.json');
  writeFileSync(
    seed,
    JSON.stringify({
      services: [
        {
          id: UPSTREAM.serviceId,
          name: 'Bench',
          fqdn: 'bench.example',
          users: [
            { id: UPSTREAM.userId, username: 'bench@example.com', phoneNumber: '+3725555555' },
          ],
        },
      ],
    }),
  );
  const cli = join(__dirname, '..', '..', 'dist', 'testing', 'cli.js');
  const child = spawn(
    process.execPath,
    [
      cli,
      ...['--port', '0', '--seed', seed, '--benchmark-token', UPSTREAM.token],
      ...['--username', UPSTREAM.username, '--password', UPSTREAM.password],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
  });
  child.stdout.resume();
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

module.exports = { UPSTREAM, startUpstream };
