import type * as OpenTelemetry from '@opentelemetry/api';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { SmsDefenceEvent } from '../events/sms-defence-event';
import type { TwoFactorEvent } from '../events/two-factor-event';
import type { VerigatorCallEvent } from '../events/verigator-call-event';
import { VERIGATOR_CHANNELS } from '../events/verigator-channels';
import type { VerigatorResilienceEvent } from '../events/verigator-resilience-event';

/** Where `instrumentVerigator` records; each defaults to the globally registered provider. */
export interface VerigatorInstrumentationOptions {
  tracerProvider?: OpenTelemetry.TracerProvider;
  meterProvider?: OpenTelemetry.MeterProvider;
}

const SCOPE = 'nestjs-verigator';
/** Retries and failovers waiting for their call's event; a bound, in case one never comes. */
const MAX_PENDING = 1_000;

/**
 * Records the library's audit trail (`VERIGATOR_CHANNELS`) with OpenTelemetry: a CLIENT span per
 * Verigator call (`verigator auth.verify`) with its operation, outcome, error code, retries and
 * failover; each `TwoFactorGuard` decision as an event on the active span (or a short span when
 * none is active); and the metrics `verigator.codes.sent`, `.verified`, `.failed`,
 * `verigator.lockouts`, `verigator.sms.refused`, `verigator.breaker.changes` and the histogram
 * `verigator.call.duration` (ms). No attribute ever carries an id, phone number, e-mail, token or
 * credential. Call it once at startup, after registering your OpenTelemetry SDK.
 * @returns A function that stops recording.
 * @throws Error saying what to install when `@opentelemetry/api` is missing.
 * @example
 * import { instrumentVerigator } from 'nestjs-verigator/opentelemetry';
 * instrumentVerigator();
 */
export function instrumentVerigator(options: VerigatorInstrumentationOptions = {}): () => void {
  const api = loadOpenTelemetry();
  const tracer = (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(SCOPE);
  const meter = (options.meterProvider ?? api.metrics.getMeterProvider()).getMeter(SCOPE);
  const codesSent = meter.createCounter('verigator.codes.sent', {
    description: 'One-time codes sent by TwoFactorGuard',
  });
  const codesVerified = meter.createCounter('verigator.codes.verified', {
    description: 'Tokens TwoFactorGuard verified',
  });
  const codesFailed = meter.createCounter('verigator.codes.failed', {
    description: 'Tokens TwoFactorGuard refused, by reason',
  });
  const lockouts = meter.createCounter('verigator.lockouts', {
    description: 'Requests TwoFactorGuard refused because the user is locked out',
  });
  const smsRefused = meter.createCounter('verigator.sms.refused', {
    description: 'SMS not sent: cooldown or send budget, or the SMS defences, by reason',
  });
  const breakerChanges = meter.createCounter('verigator.breaker.changes', {
    description: 'Circuit breaker state changes, by new state',
  });
  const callDuration = meter.createHistogram('verigator.call.duration', {
    description: 'Duration of Verigator calls, retries and failover included',
    unit: 'ms',
  });
  const pending = new Map<string, { retries: number; failovers: number }>();

  const onCall = (message: unknown): void => {
    const event = message as VerigatorCallEvent;
    const key = callKey(event);
    const resilience = pending.get(key);
    pending.delete(key);
    const attributes: OpenTelemetry.Attributes = {
      'verigator.operation': event.operation,
      'verigator.outcome': event.outcome,
      'http.request.method': event.httpMethod,
      'url.template': event.path,
    };
    if (event.error) attributes['error.type'] = event.error.code;
    if (event.error?.statusCode) attributes['http.response.status_code'] = event.error.statusCode;
    callDuration.record(event.latencyMs, attributes);
    if (resilience) {
      attributes['verigator.retries'] = resilience.retries;
      attributes['verigator.failover'] = resilience.failovers > 0;
    }
    const span = tracer.startSpan(`verigator ${event.operation}`, {
      kind: api.SpanKind.CLIENT,
      startTime: event.timestamp - event.latencyMs,
      attributes,
    });
    if (event.outcome === 'failure') {
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: event.error?.code });
    }
    span.end(event.timestamp);
  };

  const onResilience = (message: unknown): void => {
    const event = message as VerigatorResilienceEvent;
    if (event.type === 'retry' || event.type === 'failover') {
      if (pending.size >= MAX_PENDING) pending.clear();
      const key = callKey(event);
      const counts = pending.get(key) ?? { retries: 0, failovers: 0 };
      if (event.type === 'retry') counts.retries++;
      else counts.failovers++;
      pending.set(key, counts);
    } else {
      breakerChanges.add(1, { 'verigator.breaker.state': event.type });
    }
  };

  const onDecision = (message: unknown): void => {
    const event = message as TwoFactorEvent;
    const attributes: OpenTelemetry.Attributes = {
      'verigator.guard.decision': event.type,
      'verigator.guard.outcome': event.outcome,
      'verigator.guard.route': event.route,
      'verigator.guard.method': event.method,
    };
    if (event.reason) attributes['verigator.guard.reason'] = event.reason;
    if (event.error) attributes['error.type'] = event.error.code;
    const method = { 'verigator.guard.method': event.method };
    if (event.type === 'codeSent') codesSent.add(1, method);
    else if (event.type === 'verified') codesVerified.add(1, method);
    else if (event.type === 'failed')
      codesFailed.add(1, { ...method, reason: event.reason ?? 'unknown' });
    else if (event.type === 'lockedOut') lockouts.add(1, method);
    else if (event.type === 'sendRefused') smsRefused.add(1, { reason: event.reason ?? 'unknown' });
    const active = api.trace.getActiveSpan();
    if (active?.isRecording()) {
      active.addEvent('verigator.guard.decision', attributes, event.timestamp);
      return;
    }
    tracer
      .startSpan('verigator guard', {
        startTime: event.timestamp - event.latencyMs,
        attributes,
      })
      .end(event.timestamp);
  };

  const onSmsDefence = (message: unknown): void => {
    const event = message as SmsDefenceEvent;
    if (event.type === 'smsRefused') smsRefused.add(1, { reason: event.reason });
  };

  const subscriptions: [string, (message: unknown) => void][] = [
    [VERIGATOR_CHANNELS.clientCall, onCall],
    [VERIGATOR_CHANNELS.clientResilience, onResilience],
    [VERIGATOR_CHANNELS.guardDecision, onDecision],
    [VERIGATOR_CHANNELS.smsDefence, onSmsDefence],
  ];
  for (const [name, listener] of subscriptions) subscribe(name, listener);
  return () => {
    for (const [name, listener] of subscriptions) unsubscribe(name, listener);
    pending.clear();
  };
}

/** Matches a retry or failover with its call; held in memory only, never recorded. */
function callKey(event: Pick<VerigatorCallEvent, 'httpMethod' | 'path' | 'serviceId' | 'userId'>) {
  return `${event.httpMethod} ${event.path} ${event.serviceId ?? ''} ${event.userId ?? ''}`;
}

function loadOpenTelemetry(): typeof OpenTelemetry {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@opentelemetry/api') as typeof OpenTelemetry;
  } catch (error) {
    throw new Error(
      'instrumentVerigator needs the optional peer dependency @opentelemetry/api (1.x): ' +
        'npm install @opentelemetry/api',
      { cause: error },
    );
  }
}
