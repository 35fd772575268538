import { AddressInfo } from 'node:net';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';

/** A token the fake accepts by default. */
export const VALID_TOKEN = '123456';
/** A token the fake reports as expired by default. */
export const EXPIRED_TOKEN = '222222';
/** A token the fake reports as throttled by default. */
export const THROTTLED_TOKEN = '333333';

/** How the fake answers one request. */
export type FakeReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true };

/** A request that reached the fake. */
export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/**
 * A minimal Verigator on 127.0.0.1 for guard and filter tests: `POST .../auth` answers the
 * requested method (TOTP falls back to SMS unless the user is in `totpUsers`), `PUT .../auth`
 * accepts `VALID_TOKEN`. `fault`, when set, answers every request instead.
 */
export class FakeVerigator {
  readonly requests: FakeRequest[] = [];
  readonly totpUsers = new Set<string>();
  fault?: FakeReply;
  /** Milliseconds before answering an initiate, to widen race windows. */
  initiateDelayMs = 0;
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Initiate requests (`POST .../auth`) received. */
  get initiates(): FakeRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/auth'));
  }

  /** Verify requests (`PUT .../auth`) received. */
  get verifies(): FakeRequest[] {
    return this.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/auth'));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const request: FakeRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        };
        this.requests.push(request);
        const reply = this.fault ?? this.route(request);
        const delay = request.method === 'POST' ? this.initiateDelayMs : 0;
        setTimeout(() => answer(reply, res), delay);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.totpUsers.clear();
    this.fault = undefined;
    this.initiateDelayMs = 0;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private route(request: FakeRequest): FakeReply {
    const match = /\/users\/([^/]+)\/auth$/.exec(request.path);
    if (!match) return { status: 200, body: { id: 'u1', ctime: 'now', id_in_service: 'x' } };
    const userId = decodeURIComponent(match[1]);
    if (request.method === 'POST') {
      const wanted = request.body.method;
      const method = wanted === 'totp' && !this.totpUsers.has(userId) ? 'sms' : wanted;
      return { status: 200, body: { method, auth_id: 'a1' } };
    }
    return { status: 200, body: verification(String(request.body.token)) };
  }
}

function verification(token: string): object {
  if (token === VALID_TOKEN) return { verified: true };
  const status = (result: string) => ({
    throttled: result === 'THROTTLED',
    expired: result === 'EXPIRED',
    invalid: result === 'INVALID',
    result,
  });
  if (token === EXPIRED_TOKEN) return { verified: false, status: status('EXPIRED') };
  if (token === THROTTLED_TOKEN) return { verified: false, status: status('THROTTLED') };
  return { verified: false, status: status('INVALID') };
}

function answer(reply: FakeReply, res: ServerResponse): void {
  if ('hang' in reply) return;
  if ('reset' in reply) {
    res.socket?.destroy();
    return;
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
  const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(reply.status, { 'Content-Type': type, ...reply.headers });
  res.end(text);
}

/** An address where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
