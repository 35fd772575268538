import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest, hasServiceCredentials } from './api-routes';
import type { ApiContext } from './api-routes';
import { BoundedLog } from './bounded-log';
import { CONTROL_PREFIX, handleControlRequest } from './control-routes';
import type { ControlContext } from './control-routes';
import { FaultQueue, normalizeFault } from './faults';
import type { ActiveFault, SimulatorFault } from './faults';
import { allowMethods, errorResponse, parseTarget, readBody, sendResponse } from './http-io';
import { isInboxAsset, serveInboxAsset } from './inbox-page';
import type { RouteRequest, RouteResponse } from './http-io';
import { recordRequest } from './recorded-request';
import { guardRequest, normalizeHostName } from './request-guard';
import type { RecordedRequest } from './recorded-request';
import { SimulatorError } from './simulator-error';
import { SimulatorEvents } from './simulator-events';
import type { VerigatorSimulatorOptions } from './simulator-options.interface';
import { validateSeed } from './simulator-seed';
import { SimulatorState } from './simulator-state';
import type { MessageFilter, SimulatorMessage } from './simulator-state';
import type { EnrolledDevice } from './totp-device';

/** The inbox page's event stream. */
const EVENTS_PATH = `/${CONTROL_PREFIX}/events`;

/**
 * A local, in-memory Verigator: the REST API of `https://api.verigator.com` plus a control API
 * under `/_simulator` for tests and demos, and an inbox page at its root URL. SMS are not sent
 * but kept in an outbox.
 *
 * The SMS outbox and the request log keep the newest 10,000 entries each.
 *
 * @example
 * const sim = await VerigatorSimulator.start({ username: 'demo', password: 'demo' });
 * // point the client at sim.url, then:
 * const code = sim.lastCode('+3725555555');
 * await sim.close();
 */
export class VerigatorSimulator {
  private readonly faults = new FaultQueue();
  private readonly events = new SimulatorEvents();
  private readonly requestLog = new BoundedLog<RecordedRequest>();
  private readonly pendingDelays = new Set<() => void>();
  private readonly controlContext: ControlContext;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly state: SimulatorState,
    private readonly apiContext: ApiContext,
    private readonly allowedHosts: ReadonlySet<string>,
  ) {
    this.controlContext = {
      state,
      faults: this.faults,
      requestLog: this.requestLog,
      reset: () => this.reset(),
    };
    const { address, port } = server.address() as AddressInfo;
    this.port = port;
    this.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    });
  }

  /**
   * Starts a simulator and resolves once it listens. Each call gives an independent simulator.
   *
   * @throws Error when an option or the seed is invalid (the message names it) or the port is taken.
   */
  static async start(options: VerigatorSimulatorOptions = {}): Promise<VerigatorSimulator> {
    const port = options.port ?? 0;
    const host = options.host ?? '127.0.0.1';
    const username = options.username ?? 'demo';
    const password = options.password ?? 'demo';
    const codeTtlMs = options.codeTtlMs ?? 300_000;
    const maxVerifyAttempts = options.maxVerifyAttempts ?? 3;
    const createdStatus = options.createdStatus ?? 201;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error('port must be an integer from 0 to 65535');
    }
    if (username === '' || username.includes(':')) {
      throw new Error('username must be non-empty and must not contain ":"');
    }
    if (password === '') {
      throw new Error('password must be non-empty');
    }
    const allowedHosts = new Set((options.allowedHosts ?? []).map(normalizeHostName));
    allowedHosts.add(normalizeHostName(host));
    if (!(Number.isFinite(codeTtlMs) && codeTtlMs > 0)) {
      throw new Error('codeTtlMs must be a positive number');
    }
    if (!(Number.isInteger(maxVerifyAttempts) && maxVerifyAttempts > 0)) {
      throw new Error('maxVerifyAttempts must be a positive integer');
    }
    if (createdStatus !== 200 && createdStatus !== 201) {
      throw new Error('createdStatus must be 200 or 201');
    }
    if (options.benchmarkToken !== undefined && !/^\d{4,12}$/.test(options.benchmarkToken)) {
      throw new Error('benchmarkToken must be 4 to 12 digits');
    }
    const state = new SimulatorState({
      clock: options.clock ?? Date.now,
      codeTtlMs,
      maxVerifyAttempts,
      benchmarkToken: options.benchmarkToken,
      seed: options.seed === undefined ? undefined : validateSeed(options.seed),
    });
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new VerigatorSimulator(
      server,
      state,
      { state, username, password, createdStatus },
      allowedHosts,
    );
  }

  /** Base URL to give the client, e.g. `http://127.0.0.1:4010` (no trailing slash). */
  readonly url: string;

  /** The port it listens on (the one picked when started with port 0). */
  readonly port: number;

  /** Stops listening and drops every connection, idle keep-alive ones included. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.events.close();
    for (const release of this.pendingDelays) {
      release();
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** SMS sent so far, oldest first, optionally only those to a phone number and/or user. */
  messages(filter?: MessageFilter): SimulatorMessage[] {
    return this.state.messages(filter);
  }

  /** The code in the latest SMS to this user id or phone number, or `undefined` if none. */
  lastCode(userIdOrPhone: string): string | undefined {
    const sent = this.state
      .messages()
      .filter((message) => message.userId === userIdOrPhone || message.to === userIdOrPhone);
    return sent.at(-1)?.code;
  }

  /**
   * Gives the user a TOTP device (replacing any previous one); `initiate` with `totp` then sends
   * no SMS and verify accepts the device's codes.
   *
   * @throws SimulatorError (status 404) for an unknown service or user.
   */
  enrolDevice(serviceId: string, userId: string): EnrolledDevice {
    const enrolled = this.state.enrolDevice(serviceId, userId);
    this.events.changed();
    return enrolled;
  }

  /**
   * The code the user's device shows now (per the simulator's clock).
   *
   * @throws SimulatorError (status 404) for an unknown user or a user without a device.
   */
  totp(serviceId: string, userId: string): string {
    return this.state.totp(serviceId, userId);
  }

  /**
   * Queues a fault for the next matching API requests; see {@link SimulatorFault}. At most 1,000
   * faults and 1 MiB of them (as listed) are pending at once.
   *
   * @throws SimulatorError (status 422) naming an invalid field; 409 when the queue is full.
   */
  injectFault(fault: SimulatorFault): void {
    this.faults.add(normalizeFault(fault));
    this.events.changed();
  }

  /** Drops every pending fault. */
  clearFaults(): void {
    this.faults.clear();
    this.events.changed();
  }

  /**
   * API requests received so far, oldest first, with `X-Service-Auth` masked; each entry is
   * bounded (see {@link RecordedRequest}).
   */
  requests(): RecordedRequest[] {
    return this.requestLog.toArray();
  }

  /** Forgets services, users, codes, devices, SMS, faults and requests, then re-applies the seed. */
  reset(): void {
    this.state.reset();
    this.faults.clear();
    this.requestLog.clear();
    this.events.changed();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const rawBody = await readBody(req);
    let request: RouteRequest;
    try {
      request = { method, headers: req.headers, rawBody, ...parseTarget(target) };
      guardRequest(req.headers, request.pathname, rawBody, this.allowedHosts);
    } catch (error) {
      this.fail(res, error);
      return;
    }
    if (isInboxAsset(request.pathname)) {
      this.respond(res, () => serveInboxAsset(method, request.pathname));
      return;
    }
    if (request.pathname === EVENTS_PATH) {
      this.openEvents(method, res);
      return;
    }
    if (request.segments[0] === CONTROL_PREFIX) {
      this.respond(res, () => handleControlRequest(request, this.controlContext));
      if (method !== 'GET') {
        this.events.changed();
      }
      return;
    }
    this.events.changed();
    const authenticated = hasServiceCredentials(req.headers, this.apiContext);
    this.requestLog.push(recordRequest(method, target, req.headers, rawBody, authenticated));
    const fault = this.faults.take(method, request.segments);
    if (fault && (await this.applyFault(fault, req, res))) {
      return;
    }
    this.respond(res, () => handleApiRequest(request, this.apiContext));
    this.events.changed();
  }

  private openEvents(method: string, res: ServerResponse): void {
    try {
      allowMethods(method, ['GET']);
    } catch (error) {
      this.fail(res, error);
      return;
    }
    this.events.open(res);
  }

  /** Runs a fault; resolves `true` when it answered (or dropped) the request itself. */
  private async applyFault(
    fault: ActiveFault,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    if (fault.delayMs !== undefined && fault.delayMs > 0) {
      await this.delay(fault.delayMs);
    }
    if (this.closed) {
      return true;
    }
    if (fault.reset) {
      req.socket.destroy();
      return true;
    }
    if (fault.status === undefined) {
      return false;
    }
    const response: RouteResponse =
      typeof fault.body === 'string'
        ? {
            status: fault.status,
            text: fault.body.repeat(fault.repeat ?? 1),
            headers: fault.headers,
          }
        : {
            status: fault.status,
            body:
              fault.body === undefined
                ? { message: `Injected fault (status ${fault.status})` }
                : fault.body,
            headers: fault.headers,
          };
    sendResponse(res, response);
    return true;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.pendingDelays.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.pendingDelays.add(release);
    });
  }

  private respond(res: ServerResponse, route: () => RouteResponse): void {
    let response: RouteResponse;
    try {
      response = route();
    } catch (error) {
      this.fail(res, error);
      return;
    }
    sendResponse(res, response);
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent || res.destroyed) {
      return;
    }
    const known =
      error instanceof SimulatorError
        ? error
        : new SimulatorError(500, `Simulator internal error: ${String(error)}`);
    sendResponse(res, errorResponse(known));
  }
}
