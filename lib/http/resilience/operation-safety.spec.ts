import {
  CircuitOpenError,
  InternalError,
  InvalidResponseError,
  NoSuchResourceError,
  RateLimitedError,
  VerigatorError,
} from '../../errors/verigator.error';
import { mapStatusToError, mapTransportError } from '../map-upstream-error';
import { isOutage, mayFailOver, mayRetry, provablyNeverSent } from './operation-safety';

const transport = (code: string): VerigatorError =>
  mapTransportError({ code, message: `socket ${code}` }, 'verigator.test', false);
const circuitOpen = new CircuitOpenError('open');

describe('what is safe to repeat', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ENOTFOUND', true],
    ['EAI_AGAIN', true],
    ['EHOSTUNREACH', true],
    ['ENETUNREACH', true],
    ['ECONNRESET', false],
    ['EPIPE', false],
    ['ECONNABORTED', false],
    ['ERR_CANCELED', false],
  ])('a transport error %s provably never reached Verigator: %p', (code, neverSent) => {
    expect(provablyNeverSent(transport(code))).toBe(neverSent);
    expect(mayRetry('POST', transport(code))).toBe(neverSent);
    expect(mayRetry('PUT', transport(code))).toBe(neverSent);
    expect(mayFailOver('POST', transport(code))).toBe(neverSent);
  });

  it.each([
    ['a reset', transport('ECONNRESET'), true],
    ['a timeout', transport('ECONNABORTED'), true],
    ['429', mapStatusToError(429, {}), true],
    ['502', mapStatusToError(502, {}), true],
    ['503', mapStatusToError(503, {}), true],
    ['504', mapStatusToError(504, {}), true],
    ['500', mapStatusToError(500, {}), false],
    ['404', mapStatusToError(404, {}), false],
    ['an open circuit', circuitOpen, false],
  ])('reads and deletes are retried after %s: %p', (_, error, retried) => {
    expect(mayRetry('GET', error)).toBe(retried);
    expect(mayRetry('DELETE', error)).toBe(retried);
  });

  it.each([
    mapStatusToError(429, {}),
    mapStatusToError(503, {}),
    transport('ECONNRESET'),
    transport('ECONNABORTED'),
  ])('initiate, verify and creates are never retried after %p', (error) => {
    expect(mayRetry('POST', error)).toBe(false);
    expect(mayRetry('PUT', error)).toBe(false);
  });

  it('an open circuit moves on to the next endpoint for every call, but is not retried', () => {
    for (const method of ['GET', 'DELETE', 'POST', 'PUT'] as const) {
      expect(mayFailOver(method, circuitOpen)).toBe(true);
      expect(mayRetry(method, circuitOpen)).toBe(false);
    }
  });

  it.each([
    [transport('ECONNREFUSED'), true],
    [transport('ECONNABORTED'), true],
    [new InternalError('x', { statusCode: 500 }), false],
    [mapStatusToError(502, {}), true],
    [mapStatusToError(503, {}), true],
    [mapStatusToError(504, {}), true],
    [mapStatusToError(501, {}), false],
    [new InvalidResponseError('x', { statusCode: 200 }), false],
    [new RateLimitedError('x', { statusCode: 429 }), false],
    [new NoSuchResourceError('x', { statusCode: 404 }), false],
  ])('%p counts toward opening the breaker: %p', (error, outage) => {
    expect(isOutage(error)).toBe(outage);
  });
});
