import { ConnectionError } from './connection.error';

/**
 * The endpoint's circuit breaker is open (Verigator failed repeatedly): the call failed at once,
 * without sending anything. A `ConnectionError`, so it is handled (and answered 503) like one.
 */
export class CircuitOpenError extends ConnectionError {
  override readonly code = 'CIRCUIT_OPEN';
}
