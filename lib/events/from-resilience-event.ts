import type { ResilienceEvent } from '../http/resilience/resilience-event';
import { describeVerigatorCall } from './describe-verigator-call';
import type { VerigatorEventInput } from './verigator-event';
import { toVerigatorEventError } from './verigator-event-error';

const BREAKER_EVENTS = {
  open: 'breakerOpened',
  'half-open': 'breakerHalfOpened',
  closed: 'breakerClosed',
} as const;

/**
 * The audit-trail event for what a resilience policy reported (`VerigatorHttpClient.resilience`):
 * the path as a template with the ids in fields, the error summarised.
 */
export function fromResilienceEvent(report: ResilienceEvent): VerigatorEventInput {
  switch (report.type) {
    case 'circuit':
      return { type: BREAKER_EVENTS[report.state], endpoint: report.endpoint };
    case 'retry':
      return {
        type: 'retry',
        ...describeVerigatorCall(report.method, report.path),
        endpoint: report.endpoint,
        attempt: report.attempt,
        delayMs: report.delayMs,
        error: toVerigatorEventError(report.error),
      };
    case 'failover':
      return {
        type: 'failover',
        ...describeVerigatorCall(report.method, report.path),
        from: report.from,
        to: report.to,
        error: toVerigatorEventError(report.error),
      };
  }
}
