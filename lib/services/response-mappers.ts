import { InvalidResponseError } from '../errors/verigator.error';
import {
  AUTH_METHODS,
  AuthMethod,
  VerificationResult,
  VerigatorService,
  VerigatorUser,
} from '../models/verigator.models';

type Json = Record<string, unknown>;

/** Maps the API's service JSON to `VerigatorService`. @throws InvalidResponseError */
export function toVerigatorService(body: unknown): VerigatorService {
  const json = requireObject(body, 'service');
  return {
    id: requireString(json, 'id'),
    name: requireString(json, 'name'),
    creationTime: requireString(json, 'ctime'),
  };
}

/** Maps the API's user JSON to `VerigatorUser`. @throws InvalidResponseError */
export function toVerigatorUser(body: unknown): VerigatorUser {
  const json = requireObject(body, 'user');
  return {
    id: requireString(json, 'id'),
    username: requireString(json, 'id_in_service'),
    creationTime: requireString(json, 'ctime'),
  };
}

/** Maps `{"users": [...]}` (or a bare array) to `VerigatorUser[]`. @throws InvalidResponseError */
export function toVerigatorUsers(body: unknown): VerigatorUser[] {
  const users = Array.isArray(body) ? body : requireObject(body, 'user list').users;
  if (!Array.isArray(users)) throw invalid('user list without a "users" array');
  return users.map(toVerigatorUser);
}

/** Reads the method Verigator actually used from `{"method": ...}`. @throws InvalidResponseError */
export function toAuthMethod(body: unknown): AuthMethod {
  const method = requireObject(body, 'authentication').method;
  if (!AUTH_METHODS.includes(method as AuthMethod)) {
    throw invalid('authentication answer without a known "method"');
  }
  return method as AuthMethod;
}

/** Maps the verify answer to `VerificationResult`. @throws InvalidResponseError */
export function toVerificationResult(body: unknown): VerificationResult {
  const json = requireObject(body, 'verification');
  if (typeof json.verified !== 'boolean')
    throw invalid('verification without a boolean "verified"');
  if (json.verified) return { verified: true };
  const status = json.status;
  if (!status || typeof status !== 'object') return { verified: false };
  const { throttled, expired, invalid: isInvalid, result } = status as Json;
  return {
    verified: false,
    status: {
      throttled: throttled === true,
      expired: expired === true,
      invalid: isInvalid === true,
      result: typeof result === 'string' ? result : 'UNKNOWN',
    },
  };
}

function requireObject(body: unknown, what: string): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid(`${what} answer is not a JSON object`);
  }
  return body as Json;
}

function requireString(json: Json, field: string): string {
  const value = json[field];
  if (typeof value !== 'string') throw invalid(`answer lacks the string field "${field}"`);
  return value;
}

function invalid(problem: string): InvalidResponseError {
  return new InvalidResponseError(`Unexpected Verigator response: ${problem}`, { statusCode: 200 });
}
