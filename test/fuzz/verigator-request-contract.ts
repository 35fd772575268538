import type { RecordedRequest } from '../../lib/testing';

const BASE = '/v1/service/service';
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Why a request the simulator received breaks the API contract (`/work/shared/verigator-api.md`
 * as the client must honour it), or `undefined` when it is valid: well-formed ids that are not
 * dot segments, and the fields each route needs.
 */
export function contractViolation(request: RecordedRequest): string | undefined {
  if (!request.path.startsWith(BASE)) return 'outside the API';
  const rest = request.path.slice(BASE.length);
  if (rest.includes('?') || rest.includes('#')) return 'query or fragment in the path';
  const segments = rest === '' ? [] : rest.slice(1).split('/');
  for (const index of [0, 2]) {
    if (index >= segments.length) continue;
    const id = decode(segments[index]);
    if (id === undefined || !isWellFormed(id)) return `id ${index} is not well-formed`;
    if (id === '' || id === '.' || id === '..' || id.length > 255) return `bad id ${index}`;
  }
  const body = (request.body ?? {}) as Record<string, unknown>;
  const route = `${request.method} ${segments.map((s, i) => (i % 2 ? s : '*')).join('/')}`;
  switch (route) {
    case 'POST ':
      return text(body.fqdn, 1, 253) && text(body.name, 1, 100) ? undefined : 'bad service';
    case 'POST */users':
      return text(body.id_in_service, 1, 255) &&
        typeof body.phone_number === 'string' &&
        E164.test(body.phone_number)
        ? undefined
        : 'bad user';
    case 'POST */users/*/auth':
      return body.method === 'sms' || body.method === 'totp' ? undefined : 'bad method';
    case 'PUT */users/*/auth':
      return typeof body.token === 'string' && /^\d{4,12}$/.test(body.token)
        ? undefined
        : 'bad token';
    case 'GET *':
    case 'DELETE *':
    case 'GET */users':
    case 'GET */users/*':
    case 'DELETE */users/*':
      return request.body === null ? undefined : 'unexpected body';
    default:
      return `unknown route ${route}`;
  }
}

function text(value: unknown, min: number, max: number): boolean {
  return (
    typeof value === 'string' && isWellFormed(value) && value.length >= min && value.length <= max
  );
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** No lone surrogate (they cannot be encoded as UTF-8). */
function isWellFormed(value: string): boolean {
  return !/\p{Cs}/u.test(value);
}
