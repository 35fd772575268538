import { buildVerigatorPath } from '../http/build-verigator-path';
import { describeVerigatorCall } from './describe-verigator-call';

describe('describeVerigatorCall', () => {
  const base = '/v1/service/service';

  it.each([
    ['POST', [], 'services.create', base],
    ['GET', ['s1'], 'services.get', `${base}/{serviceId}`],
    ['DELETE', ['s1'], 'services.delete', `${base}/{serviceId}`],
    ['POST', ['s1', 'users'], 'users.create', `${base}/{serviceId}/users`],
    ['GET', ['s1', 'users'], 'users.getAll', `${base}/{serviceId}/users`],
    ['GET', ['s1', 'users', 'u1'], 'users.get', `${base}/{serviceId}/users/{userId}`],
    ['DELETE', ['s1', 'users', 'u1'], 'users.delete', `${base}/{serviceId}/users/{userId}`],
    [
      'POST',
      ['s1', 'users', 'u1', 'auth'],
      'auth.initiate',
      `${base}/{serviceId}/users/{userId}/auth`,
    ],
    [
      'PUT',
      ['s1', 'users', 'u1', 'auth'],
      'auth.verify',
      `${base}/{serviceId}/users/{userId}/auth`,
    ],
  ])('%s %p is %s at %s', (method, segments, operation, path) => {
    expect(describeVerigatorCall(method, buildVerigatorPath(...segments))).toEqual({
      operation,
      httpMethod: method,
      path,
      serviceId: segments[0],
      userId: segments[2],
    });
  });

  it('gives the ids decoded, and keeps them out of the template', () => {
    const described = describeVerigatorCall('GET', buildVerigatorPath('a/b c', 'users', 'ü?#%'));
    expect(described).toMatchObject({ serviceId: 'a/b c', userId: 'ü?#%' });
    expect(described.path).toBe(`${base}/{serviceId}/users/{userId}`);
  });

  it('names neither operation nor path outside the Verigator API', () => {
    expect(describeVerigatorCall('GET', '/v2/secret/123')).toEqual({
      operation: 'unknown',
      httpMethod: 'GET',
      path: '{unknown}',
      serviceId: undefined,
      userId: undefined,
    });
    expect(describeVerigatorCall('PATCH', buildVerigatorPath('s1')).operation).toBe('unknown');
  });
});
