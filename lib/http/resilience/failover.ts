import { describeVerigatorCall } from '../../events/describe-verigator-call';
import { toVerigatorEventError } from '../../events/verigator-event-error';
import { VerigatorEventPublisher } from '../../events/verigator-event-publisher';
import { EndpointCircuit } from './endpoint-circuit';
import { mayFailOver } from './operation-safety';
import { ResilientCall } from './resilient-call';

/**
 * Tries the endpoints in order, each through its own circuit, moving to the next only when
 * `mayFailOver` allows it for the method (see operation-safety.ts); otherwise, and after the
 * last endpoint, the error is thrown as is. Each move is published as a `failover` event.
 */
export async function withFailover<T>(
  call: ResilientCall,
  circuits: readonly EndpointCircuit[],
  events: VerigatorEventPublisher,
  attempt: (endpoint: string) => Promise<T>,
): Promise<T> {
  for (let i = 0; ; i++) {
    const circuit = circuits[i];
    call.lastEndpoint = circuit.endpoint;
    try {
      return await circuit.execute(() => attempt(circuit.endpoint));
    } catch (error) {
      const next = circuits[i + 1];
      if (!next || !mayFailOver(call.method, error)) throw error;
      events.publish({
        type: 'failover',
        ...describeVerigatorCall(call.method, call.path),
        from: circuit.endpoint,
        to: next.endpoint,
        error: toVerigatorEventError(error),
      });
    }
  }
}
