import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `redis-server` can be run here. */
export const REDIS_SERVER_AVAILABLE =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * `describe` for suites that need `redis-server`. Without it: in CI (`CI=true`) the suite fails,
 * as Redis is part of the test plan; locally it is skipped with a visible warning.
 */
export function describeWithRedis(name: string, suite: () => void): void {
  if (REDIS_SERVER_AVAILABLE) {
    describe(name, suite);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server (CI=true: .ci/run installs it from Debian)', () => {
        throw new Error('redis-server is not installed: run `bash .ci/install-debian-packages`');
      });
    });
  } else {
    console.warn(
      `SKIPPED "${name}": redis-server is not installed (apt-get install redis-server to run it)`,
    );
    describe.skip(name, suite);
  }
}

/**
 * A throwaway `redis-server` on 127.0.0.1, without persistence, on a free port found by binding
 * port 0 first (Redis itself refuses `--port 0`). `kill()` and `start()` again on the same port
 * simulate an outage. With `cluster: true` it is a one-node Redis Cluster holding every slot.
 */
export class RedisServer {
  private process?: ChildProcess;
  private clusterDir?: string;
  /** The port, chosen at the first start. */
  port = 0;

  constructor(private readonly options: { cluster?: boolean } = {}) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the server and waits until it answers. The first start picks a free port (again if
   * another process took it meanwhile); later starts reuse it, as a restarted Redis would.
   */
  async start(): Promise<this> {
    for (let tries = this.port === 0 ? 3 : 1; ; tries--) {
      const port = this.port || (await freePort());
      const args = [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ];
      if (this.options.cluster) {
        this.clusterDir ??= mkdtempSync(join(tmpdir(), 'redis-cluster-'));
        const config = join(this.clusterDir, `nodes-${port}.conf`);
        args.push('--cluster-enabled', 'yes', '--cluster-config-file', config);
        args.push('--cluster-announce-ip', '127.0.0.1');
      }
      const child = spawn('redis-server', args, { stdio: 'ignore', cwd: tmpdir() });
      // A test that fails before stop() must neither keep Jest alive nor leave Redis running.
      child.unref();
      running.add(child);
      child.once('exit', () => running.delete(child));
      try {
        await waitForPing(port, child);
        if (this.options.cluster) await assignAllSlots(port);
        this.process = child;
        this.port = port;
        return this;
      } catch (error) {
        if (tries <= 1) throw error;
      }
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing answers, like a stuck Redis. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  /** Thaws a paused server (SIGCONT). */
  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Kills the server at once (SIGKILL), like a crash; its data is gone. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Stops the server and removes its files. */
  async stop(): Promise<void> {
    await this.kill();
    if (this.clusterDir) rmSync(this.clusterDir, { recursive: true, force: true });
  }
}

/** Servers still running; killed when the test process exits. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the server answers PING; fails if it exits or takes more than 5 s. */
async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port} within 5 s`);
}

/** Gives the one node every slot, then waits until the cluster says it is ok. */
async function assignAllSlots(port: number): Promise<void> {
  await send(port, 'CLUSTER ADDSLOTSRANGE 0 16383');
  const deadline = Date.now() + 5000;
  while (!(await send(port, 'CLUSTER INFO')).includes('cluster_state:ok')) {
    if (Date.now() > deadline) throw new Error('the one-node Redis Cluster did not come up');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function ping(port: number): Promise<boolean> {
  return (await send(port, 'PING')).startsWith('+PONG');
}

/** Sends one inline command on a fresh connection; resolves to the first reply chunk, or ''. */
function send(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', () => resolve(''));
    socket.once('timeout', () => {
      socket.destroy();
      resolve('');
    });
  });
}
