import { describeVerigatorCall } from './describe-verigator-call';
import type { VerigatorEventInput } from './verigator-event';
import { toVerigatorEventError } from './verigator-event-error';

/**
 * What the client's resilience policies report (`VerigatorHttpClient.resilience`): raw, with the
 * request path ids included and the error as thrown.
 */
export type ResilienceReport =
  | { type: 'circuit'; endpoint: string; state: 'closed' | 'open' | 'half-open' }
  | {
      type: 'retry';
      method: string;
      path: string;
      endpoint: string;
      attempt: number;
      delayMs: number;
      error: unknown;
    }
  | { type: 'failover'; method: string; path: string; from: string; to: string; error: unknown };

const BREAKER_EVENTS = {
  open: 'breakerOpened',
  'half-open': 'breakerHalfOpened',
  closed: 'breakerClosed',
} as const;

/** The audit-trail event for a resilience report: path as a template, error summarised. */
export function fromResilienceReport(report: ResilienceReport): VerigatorEventInput {
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
