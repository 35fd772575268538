import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import { until } from './until';

/** Whether `redis-server` and `redis-cli` (which `RedisCluster` needs) can be run here. */
export const REDIS_SERVER_AVAILABLE = ['redis-server', 'redis-cli'].every(
  (command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0,
);

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
        throw new Error(
          'redis-server or redis-cli is not installed: run `bash .ci/install-debian-packages`',
        );
      });
    });
  } else {
    console.warn(
      `SKIPPED "${name}": redis-server or redis-cli is not installed (apt-get install redis-server)`,
    );
    describe.skip(name, suite);
  }
}

/**
 * `describeWithRedis` twice: on one `redis-server`, then on a three-master `RedisCluster`, each
 * new and given to the suite, which starts and stops it. For every suite that stores through
 * Redis: the cluster catches a key reached across users, which one server cannot.
 * @example
 * describeWithRedisAndCluster('two instances sharing a store', (redis) => {
 *   beforeAll(() => redis.start());
 *   afterAll(() => redis.stop());
 *   const client = () => redis.client(); // an ioredis Redis or Cluster
 * });
 */
export function describeWithRedisAndCluster(
  name: string,
  suite: (redis: RedisServer | RedisCluster) => void,
): void {
  describeWithRedis(`${name} (one Redis)`, () => suite(new RedisServer()));
  describeWithRedis(`${name} (three-master Redis Cluster)`, () => suite(new RedisCluster()));
}

/**
 * A throwaway `redis-server` on 127.0.0.1, without persistence, on a free port found by binding
 * port 0 first (Redis itself refuses `--port 0`). `kill()` and `start()` again on the same port
 * simulate an outage. With `clusterNode: true` it is a node of a `RedisCluster`: cluster mode
 * on, no slots yet, its own temporary directory for `nodes.conf`.
 */
export class RedisServer {
  private process?: ChildProcess;
  private dir?: string;
  /** The port, chosen at the first start. */
  port = 0;
  /** The cluster bus port of a cluster node, chosen at the first start. */
  busPort = 0;

  constructor(private readonly options: { clusterNode?: boolean } = {}) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A new ioredis client of this server; the caller disconnects it. */
  client(options: RedisOptions = {}): Redis {
    return new Redis(this.url, options);
  }

  /**
   * Starts the server and waits until it answers. The first start picks free ports (again if
   * another process took one meanwhile); later starts reuse them, as a restarted Redis would.
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
      let busPort = 0;
      if (this.options.clusterNode) {
        // Its own bus port: the default, port + 10000, may be taken or above 65535.
        busPort = this.busPort || (await freePort());
        this.dir ??= mkdtempSync(join(tmpdir(), 'redis-node-'));
        args.push('--cluster-enabled', 'yes', '--cluster-port', String(busPort));
        args.push('--cluster-config-file', join(this.dir, 'nodes.conf'));
        args.push('--cluster-announce-ip', '127.0.0.1');
      }
      const child = spawn('redis-server', args, { stdio: 'ignore', cwd: this.dir ?? tmpdir() });
      // A test that fails before stop() must neither keep Jest alive nor leave Redis running.
      child.unref();
      running.add(child);
      child.once('exit', () => running.delete(child));
      try {
        await waitForPing(port, child);
        this.process = child;
        this.port = port;
        this.busPort = busPort;
        return this;
      } catch (error) {
        if (tries <= 1) throw error;
      }
    }
  }

  /** Deletes every key (FLUSHALL). */
  async flushAll(): Promise<void> {
    await send(this.port, 'FLUSHALL');
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
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A throwaway Redis Cluster of three masters and no replicas on 127.0.0.1: three
 * `redis-server --cluster-enabled yes`, each in its own temporary directory, joined by
 * `redis-cli --cluster create`. The 16384 slots are split in three, so keys of different users
 * usually live on different nodes: a script or pipeline that reaches another user's key fails
 * here, where a one-node cluster (holding every slot) would run it. Start one per test file
 * (about 2.5 s: Redis keeps a new master out of service for its first 2 s).
 * @example
 * const redisCluster = new RedisCluster();
 * beforeAll(() => redisCluster.start());
 * afterAll(() => redisCluster.stop());
 * const cluster = redisCluster.client(); // an ioredis Cluster
 */
export class RedisCluster {
  /** The three masters; `pause()` or `kill()` one to take its slots out of service. */
  readonly masters = [1, 2, 3].map(() => new RedisServer({ clusterNode: true }));

  /** Startup nodes for an ioredis `Cluster`. */
  get nodes(): { host: string; port: number }[] {
    return this.masters.map(({ port }) => ({ host: '127.0.0.1', port }));
  }

  /** A new ioredis `Cluster` client of this cluster; the caller disconnects it. */
  client(options: RedisOptions = {}): Cluster {
    return new Cluster(this.nodes, { redisOptions: options });
  }

  /**
   * Starts the nodes, joins them (the first time), and resolves once every node reports
   * `cluster_state:ok`. After `kill()`, the nodes come back on their ports with their slots.
   */
  async start(): Promise<this> {
    const joined = this.masters[0].port !== 0;
    await Promise.all(this.masters.map((master) => master.start()));
    if (!joined) {
      const addresses = this.nodes.map(({ host, port }) => `${host}:${port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
    }
    await Promise.all(this.masters.map(({ port }) => waitForClusterOk(port)));
    return this;
  }

  /** Deletes every key on every node. */
  async flushAll(): Promise<void> {
    await Promise.all(this.masters.map((master) => master.flushAll()));
  }

  /** Freezes every node (SIGSTOP), like a stuck cluster. */
  pause(): void {
    for (const master of this.masters) master.pause();
  }

  /** Thaws every node (SIGCONT). */
  resume(): void {
    for (const master of this.masters) master.resume();
  }

  /** Kills every node at once (SIGKILL), like a crash; the data is gone, the slots stay. */
  async kill(): Promise<void> {
    await Promise.all(this.masters.map((master) => master.kill()));
  }

  /** Stops every node and removes their files. */
  async stop(): Promise<void> {
    await Promise.all(this.masters.map((master) => master.stop()));
  }
}

/**
 * Every key in a Redis or, on a cluster, on every master (`KEYS *` sees one node). The client
 * must have connected: a `Cluster` learns its masters then.
 */
export async function everyKey(client: Redis | Cluster): Promise<string[]> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  return (await Promise.all(nodes.map((node) => node.keys('*')))).flat();
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

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.stderr.on('data', (data) => (output += data));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/** Resolves once the server answers PING; fails if it exits or takes more than 5 s. */
async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  try {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        return ping(port);
      },
      `redis-server answers PING on port ${port}`,
      { every: 25 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** Polls `CLUSTER INFO` until the node says `cluster_state:ok`; fails after 10 s. */
function waitForClusterOk(port: number): Promise<void> {
  return until(
    async () => (await send(port, 'CLUSTER INFO')).includes('cluster_state:ok'),
    `Redis Cluster node ${port} says cluster_state:ok`,
    { within: 10_000, every: 25 },
  );
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
