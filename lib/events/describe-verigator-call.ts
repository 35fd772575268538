import { VERIGATOR_API_BASE_PATH } from '../verigator.constants';
import type { VerigatorCallEvent, VerigatorOperation } from './verigator-call-event';

/** What a call event says about the request: its operation, path template and ids. */
export type VerigatorCallDescription = Pick<
  VerigatorCallEvent,
  'operation' | 'httpMethod' | 'path' | 'serviceId' | 'userId'
>;

const OPERATIONS: Readonly<Record<string, VerigatorOperation>> = {
  'POST ': 'services.create',
  'GET {serviceId}': 'services.get',
  'DELETE {serviceId}': 'services.delete',
  'POST {serviceId}/users': 'users.create',
  'GET {serviceId}/users': 'users.getAll',
  'GET {serviceId}/users/{userId}': 'users.get',
  'DELETE {serviceId}/users/{userId}': 'users.delete',
  'POST {serviceId}/users/{userId}/auth': 'auth.initiate',
  'PUT {serviceId}/users/{userId}/auth': 'auth.verify',
};

/**
 * Describes a call by its method and the path `buildVerigatorPath` made: the ids (the 1st and 3rd
 * segments under `/v1/service/service`) are decoded into fields and replaced in the template.
 */
export function describeVerigatorCall(httpMethod: string, path: string): VerigatorCallDescription {
  const prefix = `${VERIGATOR_API_BASE_PATH}/`;
  const rest =
    path === VERIGATOR_API_BASE_PATH
      ? ''
      : path.startsWith(prefix)
        ? path.slice(prefix.length)
        : undefined;
  const segments = rest === undefined || rest === '' ? [] : rest.split('/');
  const serviceId = segments.length > 0 ? decode(segments[0]) : undefined;
  const userId = segments.length > 2 ? decode(segments[2]) : undefined;
  const template = segments.map((segment, index) =>
    index === 0 ? '{serviceId}' : index === 2 ? '{userId}' : segment,
  );
  const operation =
    rest === undefined
      ? 'unknown'
      : (OPERATIONS[`${httpMethod} ${template.join('/')}`] ?? 'unknown');
  return {
    operation,
    httpMethod,
    path: rest === undefined ? '{unknown}' : [VERIGATOR_API_BASE_PATH, ...template].join('/'),
    serviceId,
    userId,
  };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
