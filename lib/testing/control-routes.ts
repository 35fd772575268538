import type { BoundedLog } from './bounded-log';
import { normalizeFault } from './faults';
import type { FaultQueue } from './faults';
import { allowMethods } from './http-io';
import type { RouteRequest, RouteResponse } from './http-io';
import type { RecordedRequest } from './recorded-request';
import { SimulatorError } from './simulator-error';
import type { SimulatorState } from './simulator-state';
import { renderQrSvg } from './qr-code';
import { parseJsonObject } from './validation';

/** Path prefix of the control API. */
export const CONTROL_PREFIX = '_simulator';

/** What the control routes act on. */
export interface ControlContext {
  state: SimulatorState;
  faults: FaultQueue;
  requestLog: BoundedLog<RecordedRequest>;
  reset(): void;
}

/**
 * Serves the control API under `/_simulator` (no authentication; the request guard keeps other
 * origins out): `GET health`, `GET messages?to=&userId=&limit=`, `GET services`,
 * `POST service/{sid}/users/{uid}/devices`, `GET service/{sid}/users/{uid}/totp` (the device's
 * current code and its seconds left), `GET service/{sid}/users/{uid}/qr.svg` (the device's QR
 * code; 501 without the optional package `uqr`), `GET|POST|DELETE faults`, `GET requests?limit=`, `POST reset`. `limit` keeps the newest
 * entries. The event stream (`GET events`) is served by the simulator itself.
 *
 * @throws SimulatorError with the status and message to answer with.
 */
export function handleControlRequest(
  request: RouteRequest,
  context: ControlContext,
): RouteResponse {
  const { method } = request;
  const path = request.segments.slice(1);
  const route = path.join('/');

  if (route === 'health') {
    allowMethods(method, ['GET']);
    return { status: 200, body: { status: 'ok' } };
  }
  if (route === 'messages') {
    allowMethods(method, ['GET']);
    const to = request.query.get('to');
    const userId = request.query.get('userId');
    return { status: 200, body: newest(context.state.messages({ to, userId }), request) };
  }
  if (route === 'services') {
    allowMethods(method, ['GET']);
    return { status: 200, body: context.state.services() };
  }
  if (route === 'faults') {
    allowMethods(method, ['GET', 'POST', 'DELETE']);
    if (method === 'GET') {
      return { status: 200, body: context.faults.list() };
    }
    if (method === 'DELETE') {
      context.faults.clear();
      return { status: 204 };
    }
    const fault = normalizeFault(parseJsonObject(request.rawBody));
    context.faults.add(fault);
    return { status: 201, body: fault };
  }
  if (route === 'requests') {
    allowMethods(method, ['GET']);
    return { status: 200, body: newest(context.requestLog.toArray(), request) };
  }
  if (route === 'reset') {
    allowMethods(method, ['POST']);
    context.reset();
    return { status: 204 };
  }
  const userRoute = matchUserRoute(path);
  if (userRoute?.action === 'devices') {
    allowMethods(method, ['POST']);
    return { status: 201, body: context.state.enrolDevice(userRoute.serviceId, userRoute.userId) };
  }
  if (userRoute?.action === 'totp') {
    allowMethods(method, ['GET']);
    return { status: 200, body: context.state.totpNow(userRoute.serviceId, userRoute.userId) };
  }
  if (userRoute?.action === 'qr.svg') {
    allowMethods(method, ['GET']);
    const { otpauthUrl } = context.state.device(userRoute.serviceId, userRoute.userId);
    return {
      status: 200,
      text: renderQrSvg(otpauthUrl),
      headers: { 'content-type': 'image/svg+xml', 'content-security-policy': "default-src 'none'" },
    };
  }
  throw new SimulatorError(404, `No control route for ${method} ${request.pathname}`);
}

/** The last `?limit=` entries (all without it). @throws SimulatorError 422 for a bad limit. */
function newest<T>(entries: T[], request: RouteRequest): T[] {
  const limit = request.query.get('limit');
  if (limit === undefined) {
    return entries;
  }
  if (!/^[1-9]\d{0,4}$/.test(limit)) {
    throw new SimulatorError(422, 'limit must be an integer from 1 to 99999');
  }
  return entries.slice(-Number(limit));
}

/** Matches `service/{sid}/users/{uid}/{action}` with non-empty ids. */
function matchUserRoute(
  path: string[],
): { serviceId: string; userId: string; action: string } | undefined {
  const [service, serviceId, users, userId, action] = path;
  if (path.length !== 5 || service !== 'service' || users !== 'users' || !serviceId || !userId) {
    return undefined;
  }
  return { serviceId, userId, action };
}
