import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { canRenderQr, QR_INSTALL_HINT } from './qr-code';
import { validateSeed } from './simulator-seed';
import type { SimulatorSeed } from './simulator-seed';
import { VerigatorSimulator } from './verigator-simulator';

/** Where the CLI writes and which signals stop it; `process` in real use, fakes in tests. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Emits `SIGINT` and `SIGTERM`. */
  signals: NodeJS.EventEmitter;
}

/** The outcome of {@link runCli}. */
export interface CliResult {
  /** 0 when running or after `--help`/`--version`; 1 when it could not start; 2 on bad arguments. */
  exitCode: number;
  /** The running simulator, when it started. */
  simulator?: VerigatorSimulator;
  /** Resolves once a signal has stopped the simulator. */
  stopped?: Promise<void>;
}

/** Usage text of `verigator-simulator`. */
export const CLI_USAGE = `Usage: verigator-simulator [options]

Runs a local, in-memory Verigator API (no SMS is sent; watch codes arrive in the inbox page at
the root URL, or read them from /_simulator/messages).

Options:
  --port <n>            port to listen on (default 4010; 0 picks a free port)
  --host <address>      interface to listen on (default 127.0.0.1; anything else exposes the
                        unauthenticated control API to your network)
  --allowed-host <name> a host name requests may use besides localhost and IP addresses
                        (repeatable; e.g. a Docker Compose service name)
  --username <name>     expected X-Service-Auth username (default demo)
  --password <secret>   expected X-Service-Auth password (default demo; not empty)
  --seed <file.json>    services and users to create at start and after every reset
  --code-ttl <seconds>  how long SMS codes stay valid (default 300)
  --created-status <n>  status of successful creates: 201 (docs, default) or 200 (Java client)
  --benchmark-token <digits>
                        benchmarking mode: this token verifies any user, every time, with no
                        SMS and no state change (for load tests only; off by default)
  -v, --version         print the version
  -h, --help            show this help`;

const defaultIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signals: process,
};

/**
 * The `verigator-simulator` command: parses `argv` (without `node` and the script), starts the
 * simulator, prints its URL, and closes it on the first SIGINT or SIGTERM.
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<CliResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        'allowed-host': { type: 'string', multiple: true, default: [] },
        username: { type: 'string', default: 'demo' },
        password: { type: 'string', default: 'demo' },
        seed: { type: 'string' },
        'code-ttl': { type: 'string' },
        'created-status': { type: 'string', default: '201' },
        'benchmark-token': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    }));
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.stdout(CLI_USAGE);
    return { exitCode: 0 };
  }
  if (values.version) {
    io.stdout(packageVersion());
    return { exitCode: 0 };
  }
  if (values.username === '' || values.username.includes(':')) {
    return usageError(io, '--username must be non-empty and must not contain ":"');
  }
  if (values.password === '') {
    return usageError(io, '--password must not be empty');
  }

  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    return usageError(io, '--port must be an integer from 0 to 65535');
  }
  let codeTtlMs: number | undefined;
  if (values['code-ttl'] !== undefined) {
    const seconds = Number(values['code-ttl']);
    if (!(Number.isFinite(seconds) && seconds > 0)) {
      return usageError(io, '--code-ttl must be a positive number of seconds');
    }
    codeTtlMs = seconds * 1000;
  }
  const createdStatus = Number(values['created-status']);
  if (createdStatus !== 200 && createdStatus !== 201) {
    return usageError(io, '--created-status must be 200 or 201');
  }
  const benchmarkToken = values['benchmark-token'];
  if (benchmarkToken !== undefined && !/^\d{4,12}$/.test(benchmarkToken)) {
    return usageError(io, '--benchmark-token must be 4 to 12 digits');
  }
  let seed: SimulatorSeed | undefined;
  if (values.seed !== undefined) {
    try {
      seed = validateSeed(JSON.parse(readFileSync(values.seed, 'utf8')));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return usageError(io, `invalid seed file ${values.seed}: ${reason}`);
    }
  }

  let simulator: VerigatorSimulator;
  try {
    simulator = await VerigatorSimulator.start({
      port,
      host: values.host,
      allowedHosts: values['allowed-host'],
      username: values.username,
      password: values.password,
      codeTtlMs,
      createdStatus,
      benchmarkToken,
      seed,
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      const free = await nextFreePort(port, values.host);
      io.stderr(
        `verigator-simulator: cannot start: port ${port} is in use. Use --port 0 to pick any free ` +
          `port${free === undefined ? '' : `, or --port ${free} (free now)`}.`,
      );
      return { exitCode: 1 };
    }
    io.stderr(
      `verigator-simulator: cannot start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { exitCode: 1 };
  }

  io.stdout(`Verigator simulator listening on ${simulator.url}`);
  io.stdout(`  X-Service-Auth username: ${values.username} (password as configured)`);
  io.stdout(`  Inbox: ${simulator.url}/`);
  io.stdout(`  SMS outbox as JSON: ${simulator.url}/_simulator/messages`);
  if (benchmarkToken !== undefined) {
    io.stdout('  Benchmarking mode: the benchmark token verifies every user (never use in tests).');
  }
  if (!canRenderQr()) {
    io.stdout(`  ${QR_INSTALL_HINT}`);
  }
  io.stdout('# .env for your app:');
  io.stdout(`VERIGATOR_ENDPOINT=${simulator.url}`);
  io.stdout(`VERIGATOR_USERNAME=${values.username}`);
  // a password given on the command line is not echoed; the default one is no secret
  io.stdout(
    `VERIGATOR_PASSWORD=${values.password === 'demo' ? 'demo' : '<the --password you gave>'}`,
  );
  const serviceId = seed?.services[0]?.id;
  io.stdout(
    serviceId === undefined
      ? '# VERIGATOR_SERVICE_ID=<create a service (POST /v1/service/service) or start with --seed>'
      : `VERIGATOR_SERVICE_ID=${serviceId}`,
  );
  io.stdout('  Press Ctrl+C to stop.');
  if (!isLoopbackUrl(simulator.url)) {
    io.stderr(
      `verigator-simulator: WARNING: listening on ${values.host}, beyond this machine: anyone on your network can read codes and drive the unauthenticated control API and inbox page. Use --host 127.0.0.1 unless you need this.`,
    );
  }

  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      io.signals.off('SIGINT', onSigint);
      io.signals.off('SIGTERM', onSigterm);
      io.stdout(`Received ${signal}, stopping the Verigator simulator`);
      void simulator.close().then(resolve);
    };
    const onSigint = (): void => stop('SIGINT');
    const onSigterm = (): void => stop('SIGTERM');
    io.signals.once('SIGINT', onSigint);
    io.signals.once('SIGTERM', onSigterm);
  });
  return { exitCode: 0, simulator, stopped };
}

function usageError(io: CliIo, message: string): CliResult {
  io.stderr(`verigator-simulator: ${message}`);
  io.stderr(CLI_USAGE);
  return { exitCode: 2 };
}

/** The first of the next 100 ports that can be listened on now, if any. */
async function nextFreePort(port: number, host: string): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(port + 100, 65535); candidate++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(candidate, host, () => probe.close(() => resolve(true)));
    });
    if (free) {
      return candidate;
    }
  }
  return undefined;
}

/** The version in this package's package.json (two folders up, in `lib/` and in `dist/`). */
function packageVersion(): string {
  const file = join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** 127.0.0.0/8, `::1`, or 127.x.y.z mapped to IPv6 (which URL writes in hex: `[::ffff:7f00:1]`). */
function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return /^127\./.test(host) || host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:/.test(host);
}
