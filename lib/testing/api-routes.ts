import type { IncomingHttpHeaders } from 'node:http';
import { allowMethods } from './http-io';
import type { RouteRequest, RouteResponse } from './http-io';
import { SimulatorError } from './simulator-error';
import type { ServiceRecord, SimulatorState, UserRecord } from './simulator-state';
import {
  parseJsonObject,
  requireAuthMethod,
  requireNonEmptyString,
  requirePhoneNumber,
  requireString,
} from './validation';

/** What the API routes need besides the request. */
export interface ApiContext {
  state: SimulatorState;
  username: string;
  password: string;
  /** Status of successful creates (201 per the docs; 200 is what the Java client expects). */
  createdStatus: number;
}

const PREFIX = ['v1', 'service', 'service'];

/**
 * Serves the Verigator REST API under `/v1/service/service`.
 *
 * Checks, in order: route (404) and method (405), `X-Service-Auth` (401), body JSON (422), fields
 * (422), existence of the service and user (404), conflicts (409). Deletes answer 202 with `{}`
 * (a JSON body, because the official Python client parses every response). Initiate answers 200.
 *
 * @throws SimulatorError with the status and message to answer with.
 */
export function handleApiRequest(request: RouteRequest, context: ApiContext): RouteResponse {
  const { segments, method } = request;
  const isApiPath =
    segments.length >= PREFIX.length &&
    PREFIX.every((part, i) => segments[i] === part) &&
    segments.slice(PREFIX.length).every((segment) => segment !== '');
  if (!isApiPath) {
    throw new SimulatorError(404, `No route for ${method} ${request.pathname}`);
  }
  const [serviceId, users, userId, auth] = segments.slice(PREFIX.length);
  const { state } = context;
  const rest = segments.length - PREFIX.length;

  if (rest === 0) {
    allowMethods(method, ['POST']);
    authenticate(request, context);
    const body = parseJsonObject(request.rawBody);
    const fqdn = requireNonEmptyString(body, 'fqdn');
    const name = requireNonEmptyString(body, 'name');
    return {
      status: context.createdStatus,
      body: serviceJson(state.createService({ fqdn, name })),
    };
  }
  if (rest === 1) {
    allowMethods(method, ['GET', 'DELETE']);
    authenticate(request, context);
    if (method === 'GET') {
      return { status: 200, body: serviceJson(state.getService(serviceId)) };
    }
    state.deleteService(serviceId);
    return { status: 202, body: {} };
  }
  if (users !== 'users' || rest > 4 || (rest === 4 && auth !== 'auth')) {
    throw new SimulatorError(404, `No route for ${method} ${request.pathname}`);
  }
  if (rest === 2) {
    allowMethods(method, ['GET', 'POST']);
    authenticate(request, context);
    if (method === 'GET') {
      const list = state.listUsers(serviceId).map(userJson);
      return { status: 200, body: { users: list, count: list.length } };
    }
    const body = parseJsonObject(request.rawBody);
    const idInService = requireNonEmptyString(body, 'id_in_service');
    const phoneNumber = requirePhoneNumber(body, 'phone_number');
    const user = state.createUser(serviceId, { idInService, phoneNumber });
    return { status: context.createdStatus, body: userJson(user) };
  }
  if (rest === 3) {
    allowMethods(method, ['GET', 'DELETE']);
    authenticate(request, context);
    if (method === 'GET') {
      return { status: 200, body: userJson(state.getUser(serviceId, userId)) };
    }
    state.deleteUser(serviceId, userId);
    return { status: 202, body: {} };
  }
  allowMethods(method, ['POST', 'PUT']);
  authenticate(request, context);
  const body = parseJsonObject(request.rawBody);
  if (method === 'POST') {
    const used = state.initiate(serviceId, userId, requireAuthMethod(body));
    return { status: 200, body: { method: used } };
  }
  const token = requireString(body, 'token');
  return { status: 200, body: state.verify(serviceId, userId, token) };
}

/** Compares `username:password`, split at the first colon so passwords may contain colons. */
function authenticate(request: RouteRequest, context: ApiContext): void {
  const header = request.headers['x-service-auth'];
  if (typeof header !== 'string' || header === '') {
    throw new SimulatorError(401, 'Authentication required: missing X-Service-Auth header');
  }
  if (!hasServiceCredentials(request.headers, context)) {
    throw new SimulatorError(401, 'Authentication failed: wrong username or password');
  }
}

/** Whether `X-Service-Auth` carries the simulator's `username:password`. */
export function hasServiceCredentials(
  headers: IncomingHttpHeaders,
  expected: { username: string; password: string },
): boolean {
  const header = headers['x-service-auth'];
  if (typeof header !== 'string') {
    return false;
  }
  const colon = header.indexOf(':');
  return (
    colon !== -1 &&
    header.slice(0, colon) === expected.username &&
    header.slice(colon + 1) === expected.password
  );
}

function serviceJson(service: ServiceRecord): { id: string; name: string; ctime: string } {
  return { id: service.id, name: service.name, ctime: service.ctime };
}

function userJson(user: UserRecord): { id: string; ctime: string; id_in_service: string } {
  return { id: user.id, ctime: user.ctime, id_in_service: user.idInService };
}
