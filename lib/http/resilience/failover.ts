import type { VerigatorHttpMethod } from '../verigator-http-client';
import { EndpointCircuit } from './endpoint-circuit';
import { mayFailOver } from './operation-safety';
import { ResilienceEvents } from './resilience-event';

/**
 * Tries the endpoints in order, each through its own circuit, moving to the next only when
 * `mayFailOver` allows it for the method (see operation-safety.ts); otherwise, and after the
 * last endpoint, the error is thrown as is.
 */
export async function withFailover<T>(
  method: VerigatorHttpMethod,
  circuits: readonly EndpointCircuit[],
  events: ResilienceEvents,
  attempt: (endpoint: string) => Promise<T>,
): Promise<T> {
  for (let i = 0; ; i++) {
    const circuit = circuits[i];
    try {
      return await circuit.execute(() => attempt(circuit.endpoint));
    } catch (error) {
      const next = circuits[i + 1];
      if (!next || !mayFailOver(method, error)) throw error;
      events.emit({
        type: 'failover',
        method,
        from: circuit.endpoint,
        to: next.endpoint,
        errorCode: (error as { code?: string }).code ?? 'UNKNOWN',
      });
    }
  }
}
