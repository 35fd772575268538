import type { BoundedLog } from './bounded-log';
import { normalizeFault } from './faults';
import type { FaultQueue } from './faults';
import { allowMethods } from './http-io';
import type { RouteRequest, RouteResponse } from './http-io';
import type { RecordedRequest } from './recorded-request';
import { SimulatorError } from './simulator-error';
import type { SimulatorState } from './simulator-state';
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
 * Serves the control API under `/_simulator` (no authentication):
 * `GET health`, `GET messages?to=&userId=`, `POST service/{sid}/users/{uid}/devices`,
 * `GET service/{sid}/users/{uid}/totp` (the device's current code),
 * `GET|POST|DELETE faults`, `GET requests`, `POST reset`.
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
    return { status: 200, body: context.state.messages({ to, userId }) };
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
    return { status: 200, body: context.requestLog.toArray() };
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
    return {
      status: 200,
      body: { code: context.state.totp(userRoute.serviceId, userRoute.userId) },
    };
  }
  throw new SimulatorError(404, `No control route for ${method} ${request.pathname}`);
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
