import { Logger } from '@nestjs/common';
import { VerigatorEvent } from 'nestjs-verigator';

/**
 * The sample's audit trail: one log line per Verigator event, built from an allow-list of fields
 * (no token, credential or phone number is ever in an event; the allow-list keeps it so should
 * a future event carry more). Guard decisions log at `log`, trouble at `warn`, calls at `debug`.
 */
export function createAuditLog(logger = new Logger('Audit')): (event: VerigatorEvent) => void {
  return (event) => {
    const line = describe(event);
    if (isTrouble(event)) logger.warn(line);
    else if (event.type === 'call') logger.debug(line);
    else logger.log(line);
  };
}

function describe(event: VerigatorEvent): string {
  switch (event.type) {
    case 'call':
      return fields(event.type, {
        operation: event.operation,
        user: event.userId,
        outcome: event.outcome,
        error: event.error?.code,
        ms: event.latencyMs,
      });
    case 'retry':
      return fields(event.type, {
        operation: event.operation,
        attempt: event.attempt,
        delayMs: event.delayMs,
        error: event.error.code,
      });
    case 'failover':
      return fields(event.type, {
        operation: event.operation,
        from: event.from,
        to: event.to,
        error: event.error.code,
      });
    case 'breakerOpened':
    case 'breakerHalfOpened':
    case 'breakerClosed':
      return fields(event.type, { endpoint: event.endpoint });
    case 'smsRefused':
      return fields(event.type, {
        user: event.userId,
        reason: event.reason,
        country: event.country,
        prefix: event.prefix,
      });
    case 'smsBudgetExhausted':
      return fields(event.type, { max: event.max, windowMs: event.windowMs });
    default:
      return fields(event.type, {
        route: event.route,
        user: event.userId,
        method: event.method,
        outcome: event.outcome,
        reason: event.reason,
        error: event.error?.code,
        ms: event.latencyMs,
      });
  }
}

function isTrouble(event: VerigatorEvent): boolean {
  return (
    [
      'lockedOut',
      'unavailable',
      'verigatorError',
      'storeUnavailable',
      'breakerOpened',
      'failover',
      'smsRefused',
      'smsBudgetExhausted',
    ].includes(event.type) ||
    (event.type === 'failed' && event.reason === 'throttled')
  );
}

function fields(type: string, values: Record<string, string | number | undefined>): string {
  const parts = Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`);
  return [type, ...parts].join(' ');
}
