import { ConnectionError, RequestTimeoutError } from '../errors/verigator.error';
import { buildVerigatorPath } from '../http/build-verigator-path';
import { fromResilienceEvent } from './from-resilience-event';

describe('fromResilienceEvent', () => {
  const path = buildVerigatorPath('svc 1', 'users', 'u/1', 'auth');

  it.each([
    ['open', 'breakerOpened'],
    ['half-open', 'breakerHalfOpened'],
    ['closed', 'breakerClosed'],
  ] as const)('a breaker turning %s is %s', (state, type) => {
    expect(fromResilienceEvent({ type: 'circuit', endpoint: 'http://a', state })).toEqual({
      type,
      endpoint: 'http://a',
    });
  });

  it('a retry names the operation and the path template, and summarises the error', () => {
    const error = new RequestTimeoutError('Verigator did not answer in time', {
      cause: new Error('secret detail'),
    });
    const event = fromResilienceEvent({
      type: 'retry',
      method: 'GET',
      path: buildVerigatorPath('svc 1', 'users', 'u/1'),
      endpoint: 'http://a',
      attempt: 1,
      delayMs: 120,
      error,
    });
    expect(event).toEqual({
      type: 'retry',
      operation: 'users.get',
      httpMethod: 'GET',
      path: '/v1/service/service/{serviceId}/users/{userId}',
      serviceId: 'svc 1',
      userId: 'u/1',
      endpoint: 'http://a',
      attempt: 1,
      delayMs: 120,
      error: { name: 'RequestTimeoutError', code: 'REQUEST_TIMEOUT', statusCode: 0 },
    });
    expect(JSON.stringify(event)).not.toContain('secret detail');
  });

  it('a failover names both endpoints', () => {
    expect(
      fromResilienceEvent({
        type: 'failover',
        method: 'POST',
        path,
        from: 'http://a',
        to: 'http://b',
        error: new ConnectionError('Verigator could not be reached (ECONNREFUSED)'),
      }),
    ).toMatchObject({
      type: 'failover',
      operation: 'auth.initiate',
      from: 'http://a',
      to: 'http://b',
      error: { code: 'CONNECTION_ERROR' },
    });
  });
});
