import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../test/utils/until';
import { runCli } from './cli-main';
import type { CliIo } from './cli-main';
import { VerigatorSimulator } from './verigator-simulator';

const DEMO_SEED = join(__dirname, 'fixtures', 'demo-seed.json');

function fakeIo(): CliIo & { out: string[]; err: string[]; signals: EventEmitter } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    signals: new EventEmitter(),
  };
}

describe('verigator-simulator CLI', () => {
  it('prints usage for --help and exits 0', async () => {
    const io = fakeIo();
    expect(await runCli(['--help'], io)).toEqual({ exitCode: 0 });
    expect(io.out.join('\n')).toContain('Usage: verigator-simulator');
    expect(io.out.join('\n')).toContain('--code-ttl');
  });

  it.each([
    [['--nope'], 'nope'],
    [['--port', 'abc'], '--port'],
    [['--port', '70000'], '--port'],
    [['--code-ttl', '0'], '--code-ttl'],
    [['--code-ttl', 'x'], '--code-ttl'],
    [['--created-status', '202'], '--created-status'],
    [['--benchmark-token', '12ab'], '--benchmark-token'],
    [['--seed', '/does/not/exist.json'], 'seed file'],
    [['positional'], 'positional'],
    [['--password', ''], '--password'],
    [['--username', ''], '--username'],
  ])('rejects %j with exit code 2 and a message', async (argv, fragment) => {
    const io = fakeIo();
    expect(await runCli(argv, io)).toEqual({ exitCode: 2 });
    expect(io.err[0]).toContain(fragment);
    expect(io.out).toEqual([]);
  });

  it('prints the package version for --version and exits 0', async () => {
    const io = fakeIo();
    const { version } = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(await runCli(['--version'], io)).toEqual({ exitCode: 0 });
    expect(io.out).toEqual([version]);
  });

  it('warns on stderr when listening beyond loopback (--host 0.0.0.0), and prints the inbox URL', async () => {
    const io = fakeIo();
    const result = await runCli(['--port', '0', '--host', '0.0.0.0'], io);
    try {
      expect(result.exitCode).toBe(0);
      expect(io.err.join('\n')).toMatch(/WARNING.*0\.0\.0\.0.*control API/s);
      expect(io.out.join('\n')).toContain(`Inbox: ${result.simulator!.url}/`);
    } finally {
      await result.simulator?.close();
    }
    const quiet = fakeIo();
    const local = await runCli(['--port', '0'], quiet);
    await local.simulator?.close();
    expect(quiet.err).toEqual([]);
  });

  it.each(['127.0.0.2', '::1', '::ffff:127.0.0.1'])(
    'does not warn when listening on the loopback address %s',
    async (host) => {
      const io = fakeIo();
      const result = await runCli(['--port', '0', '--host', host], io);
      await result.simulator?.close();
      expect(result.exitCode).toBe(0);
      expect(io.err).toEqual([]);
    },
  );

  it('rejects an invalid seed file naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verigator-seed-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ services: [{ id: 'a', name: 'A' }] }));
    const io = fakeIo();
    expect(await runCli(['--seed', file], io)).toEqual({ exitCode: 2 });
    expect(io.err[0]).toContain('seed.services[0].fqdn');
  });

  it('serves with the given options, prints the URL but not the password, and stops on SIGTERM', async () => {
    const io = fakeIo();
    const result = await runCli(
      [
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--username',
        'cli',
        '--password',
        'pa:ss',
        '--seed',
        DEMO_SEED,
      ],
      io,
    );
    expect(result.exitCode).toBe(0);
    const sim = result.simulator!;
    try {
      expect(io.out[0]).toBe(`Verigator simulator listening on ${sim.url}`);
      expect(io.out.join('\n')).not.toContain('pa:ss');

      const res = await fetch(`${sim.url}/v1/service/service/demo-service/users`, {
        headers: { 'X-Service-Auth': 'cli:pa:ss' },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ count: 2 });
      const unauthorised = await fetch(`${sim.url}/v1/service/service/demo-service`, {
        headers: { 'X-Service-Auth': 'demo:demo' },
      });
      expect(unauthorised.status).toBe(401);

      expect(io.signals.listenerCount('SIGINT')).toBe(1);
      io.signals.emit('SIGTERM');
      await result.stopped;
      expect(io.out.at(-1)).toContain('SIGTERM');
      expect(io.signals.listenerCount('SIGINT')).toBe(0);
      expect(io.signals.listenerCount('SIGTERM')).toBe(0);
      await expect(fetch(`${sim.url}/_simulator/health`)).rejects.toThrow();
    } finally {
      await sim.close();
    }
  });

  it('stops on SIGINT too', async () => {
    const io = fakeIo();
    const result = await runCli(['--port', '0'], io);
    io.signals.emit('SIGINT');
    await result.stopped;
    await expect(fetch(`${result.simulator!.url}/_simulator/health`)).rejects.toThrow();
  });

  it('applies --code-ttl (seconds) and --created-status', async () => {
    const io = fakeIo();
    const result = await runCli(
      ['--port', '0', '--seed', DEMO_SEED, '--code-ttl', '0.2', '--created-status', '200'],
      io,
    );
    const sim = result.simulator!;
    try {
      const headers = { 'X-Service-Auth': 'demo:demo', 'Content-Type': 'application/json' };
      const created = await fetch(`${sim.url}/v1/service/service`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ fqdn: 'x.example', name: 'X' }),
      });
      expect(created.status).toBe(200);
      const auth = `${sim.url}/v1/service/service/demo-service/users/demo-alice/auth`;
      await fetch(auth, { method: 'POST', headers, body: JSON.stringify({ method: 'sms' }) });
      // Real time must pass: until the simulator's inbox shows the code expired (200 ms on).
      const sent = () => sim.messages({ userId: 'demo-alice' }).at(-1)?.status;
      await until(
        () => sent() === 'expired',
        () => `the code expired (status: ${sent()})`,
      );
      const verify = await fetch(auth, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ token: sim.lastCode('demo-alice') }),
      });
      expect(await verify.json()).toMatchObject({ verified: false, status: { result: 'EXPIRED' } });
    } finally {
      await sim.close();
    }
  });

  it('--benchmark-token verifies any seeded user, every time, without an SMS; other tokens as usual', async () => {
    const io = fakeIo();
    const result = await runCli(
      ['--port', '0', '--seed', DEMO_SEED, '--benchmark-token', '424242'],
      io,
    );
    const sim = result.simulator!;
    try {
      expect(io.out.join('\n')).toContain('Benchmarking mode');
      const headers = { 'X-Service-Auth': 'demo:demo', 'Content-Type': 'application/json' };
      const auth = `${sim.url}/v1/service/service/demo-service/users/demo-alice/auth`;
      const verify = (token: string) =>
        fetch(auth, { method: 'PUT', headers, body: JSON.stringify({ token }) }).then((r) =>
          r.json(),
        );
      for (let i = 0; i < 5; i++) expect(await verify('424242')).toEqual({ verified: true });
      expect(await verify('000000')).toMatchObject({ verified: false });
      const missing = `${sim.url}/v1/service/service/demo-service/users/nobody/auth`;
      const unknown = await fetch(missing, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ token: '424242' }),
      });
      expect(unknown.status).toBe(404);
      expect(sim.messages()).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('exits 1 when the port is taken, suggesting --port 0 and a port that is free', async () => {
    const busy = await VerigatorSimulator.start();
    try {
      const io = fakeIo();
      expect(await runCli(['--port', String(busy.port)], io)).toEqual({ exitCode: 1 });
      const message = io.err.join('\n');
      expect(message).toContain(`port ${busy.port} is in use`);
      expect(message).toContain('--port 0');
      const suggested = Number(/--port (\d+) \(free now\)/.exec(message)?.[1]);
      expect(suggested).toBeGreaterThan(busy.port);
      const next = await VerigatorSimulator.start({ port: suggested });
      await next.close();
    } finally {
      await busy.close();
    }
  });

  it('prints a .env block for the app, whose values reach the seeded service', async () => {
    const io = fakeIo();
    const result = await runCli(['--port', '0', '--seed', DEMO_SEED], io);
    const sim = result.simulator!;
    try {
      const block = io.out.slice(io.out.indexOf('# .env for your app:') + 1, -1);
      const env = Object.fromEntries(
        block.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)),
      );
      expect(env).toEqual({
        VERIGATOR_ENDPOINT: sim.url,
        VERIGATOR_USERNAME: 'demo',
        VERIGATOR_PASSWORD: 'demo',
        VERIGATOR_SERVICE_ID: 'demo-service',
      });
      const res = await fetch(
        `${env.VERIGATOR_ENDPOINT}/v1/service/service/${env.VERIGATOR_SERVICE_ID}`,
        { headers: { 'X-Service-Auth': `${env.VERIGATOR_USERNAME}:${env.VERIGATOR_PASSWORD}` } },
      );
      expect(res.status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('names no password it was given and no service it does not have in the .env block', async () => {
    const io = fakeIo();
    const result = await runCli(['--port', '0', '--password', 's3cret'], io);
    try {
      const text = io.out.join('\n');
      expect(text).not.toContain('s3cret');
      expect(text).toContain('VERIGATOR_PASSWORD=<the --password you gave>');
      expect(text).toMatch(/^# VERIGATOR_SERVICE_ID=/m);
    } finally {
      await result.simulator?.close();
    }
  });
});
