import { AddressInfo } from 'node:net';
import { IncomingHttpHeaders, Server, ServerResponse, createServer } from 'node:http';

/** A request as it reached the recording server. */
export interface RecordedRequest {
  method: string;
  /** The raw request target, exactly as sent (not decoded). */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body text. */
  body: string;
  /** The body parsed as JSON; `{}` when empty or not JSON. */
  json: Record<string, unknown>;
}

/** How the recording server answers one request. */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true };

/**
 * A real HTTP server on 127.0.0.1 (port 0) that records every request and answers with the
 * queued replies, else with `respond()` (by default, `replyByDefault`'s reply).
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: Reply[] = [];
  private defaultReply: Reply = { status: 200, body: {} };
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const request = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          json: parseJson(body),
        };
        this.requests.push(request);
        const reply = this.replies.shift() ?? this.respond(request);
        setTimeout(() => answer(reply, res), this.delayFor(request));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Queues replies for the next requests, in order. */
  reply(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  /** Sets the reply used when the queue is empty. */
  replyByDefault(reply: Reply): this {
    this.defaultReply = reply;
    return this;
  }

  clear(): void {
    this.requests.length = 0;
    this.replies.length = 0;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The reply to a request when none is queued; override to route. */
  protected respond(_request: RecordedRequest): Reply {
    return this.defaultReply;
  }

  /** Milliseconds to wait before answering; override to widen race windows. */
  protected delayFor(_request: RecordedRequest): number {
    return 0;
  }
}

function answer(reply: Reply, res: ServerResponse): void {
  if ('hang' in reply) return;
  if ('reset' in reply) {
    res.socket?.destroy();
    return;
  }
  const body =
    reply.body === undefined
      ? ''
      : typeof reply.body === 'string'
        ? reply.body
        : JSON.stringify(reply.body);
  const contentType = typeof reply.body === 'string' ? 'text/html' : 'application/json';
  res.writeHead(reply.status, { 'Content-Type': contentType, ...reply.headers });
  res.end(body);
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Ports where nothing listens: below the ephemeral range, so no `listen(0)` of another test file
 * running at the same time can take one (a port freed by binding port 0 and closing it could be
 * handed out again at once: a "connection refused" test once got a 404 from another suite's server).
 */
const CLOSED_PORTS = [1, 2, 3, 4];
let closedPorts = 0;

/** An address where nothing listens: each call gives the next of four such ports. */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${CLOSED_PORTS[closedPorts++ % CLOSED_PORTS.length]}`;
}
