import type { ServerResponse } from 'node:http';
import { SAFETY_HEADERS } from './http-io';

/** Most event streams open at once (each is one browser tab); a new one ends the oldest. */
const MAX_STREAMS = 32;

/** Changes within this many milliseconds are announced once. */
const COALESCE_MS = 50;

/** Keeps idle streams open through proxies and lets closed tabs be noticed. */
const HEARTBEAT_MS = 25_000;

/**
 * Server-sent events for the inbox page (`GET /_simulator/events`): a `change` event whenever
 * the outbox, users, devices, faults or request log may have changed, coalesced to at most one
 * per 50 ms. The page then re-reads what it shows through the control API.
 */
export class SimulatorEvents {
  private readonly streams = new Set<ServerResponse>();
  private pending?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  /**
   * Turns the response into an event stream until the client goes away. With the table full, the
   * oldest stream ends, so a newly opened inbox is never locked out (an ended page reconnects).
   */
  open(res: ServerResponse): void {
    if (this.streams.size >= MAX_STREAMS) {
      const [oldest] = this.streams;
      this.streams.delete(oldest);
      oldest.end();
    }
    res.writeHead(200, {
      ...SAFETY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.write('retry: 1000\n\n');
    this.streams.add(res);
    res.on('close', () => {
      this.streams.delete(res);
      if (this.streams.size === 0) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    });
    this.heartbeat ??= setInterval(() => this.write(': heartbeat\n\n'), HEARTBEAT_MS).unref();
  }

  /** Announces a change to every open stream (soon, once for a burst of changes). */
  changed(): void {
    if (this.streams.size === 0 || this.pending) {
      return;
    }
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.write('event: change\ndata: {}\n\n');
    }, COALESCE_MS);
    this.pending.unref();
  }

  /** Ends every stream and stops the timers. */
  close(): void {
    clearTimeout(this.pending);
    clearInterval(this.heartbeat);
    for (const res of this.streams) {
      res.end();
    }
    this.streams.clear();
  }

  private write(chunk: string): void {
    for (const res of this.streams) {
      res.write(chunk);
    }
  }
}
