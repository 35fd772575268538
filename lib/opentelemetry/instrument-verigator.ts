import type * as OpenTelemetry from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SmsDefenceEvent } from '../events/sms-defence-event';
import type { TwoFactorEvent } from '../events/two-factor-event';
import type { VerigatorCallEvent } from '../events/verigator-call-event';
import {
  CALL_TRACE,
  HELD_CHANNELS,
  VERIGATOR_CHANNELS,
  VerigatorCallTrace,
  VerigatorChannelName,
} from '../events/verigator-channels';
import type { VerigatorResilienceEvent } from '../events/verigator-resilience-event';

/** Where `instrumentVerigator` records; each defaults to the globally registered provider. */
export interface VerigatorInstrumentationOptions {
  tracerProvider?: OpenTelemetry.TracerProvider;
  meterProvider?: OpenTelemetry.MeterProvider;
}

const SCOPE = 'nestjs-verigator';

/**
 * Records the library's audit trail (`VERIGATOR_CHANNELS`) with OpenTelemetry: a CLIENT span per
 * Verigator call (`verigator auth.verify`), active while the call runs (so the HTTP spans of
 * OpenTelemetry's undici instrumentation nest under it), with its operation, outcome, error code,
 * endpoint, retries, failover and breaker state; each `TwoFactorGuard` decision as an event on
 * the active span (or a short span when none is active); and the metrics `verigator.codes.sent`,
 * `.verified`, `.failed`, `verigator.lockouts`, `verigator.sms.refused`,
 * `verigator.breaker.changes` and the histogram `verigator.call.duration` (ms). No attribute ever carries an id, phone number, e-mail, token or
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
  /** The spans of the calls running now, by their trace's context; and their retry counts. */
  const spansByTrace = new WeakMap<VerigatorCallTrace, OpenTelemetry.Span>();
  const running = new WeakMap<OpenTelemetry.Span, { retries: number; failovers: number }>();
  /** Our span of the call running in this context, if any. */
  const runningCall = () => {
    const span = api.trace.getActiveSpan();
    const counts = span && running.get(span);
    return counts && { span, counts };
  };

  // A call starts: its span starts, under the active span, and is active while the call runs.
  const onCallStart = (trace: VerigatorCallTrace): OpenTelemetry.Context => {
    const span = tracer.startSpan(`verigator ${trace.operation}`, {
      kind: api.SpanKind.CLIENT,
      attributes: {
        'verigator.operation': trace.operation,
        'http.request.method': trace.httpMethod,
        'url.template': trace.path,
      },
    });
    spansByTrace.set(trace, span);
    running.set(span, { retries: 0, failovers: 0 });
    return api.trace.setSpan(api.context.active(), span);
  };
  const onCallEnd = (trace: VerigatorCallTrace): void => spansByTrace.get(trace)?.end();

  // Published inside the call, so while its span is active.
  const onResilience = (message: unknown): void => {
    const event = message as VerigatorResilienceEvent;
    if (event.type === 'retry' || event.type === 'failover') {
      const call = runningCall();
      if (call && event.type === 'retry') call.counts.retries++;
      else if (call) call.counts.failovers++;
    } else {
      breakerChanges.add(1, { 'verigator.breaker.state': event.type });
    }
  };

  // The call's result, published inside the call just before it settles.
  const onCall = (message: unknown): void => {
    const event = message as VerigatorCallEvent;
    const attributes: OpenTelemetry.Attributes = {
      'verigator.operation': event.operation,
      'verigator.outcome': event.outcome,
      'http.request.method': event.httpMethod,
      'url.template': event.path,
    };
    if (event.error) attributes['error.type'] = event.error.code;
    if (event.error?.statusCode) attributes['http.response.status_code'] = event.error.statusCode;
    callDuration.record(event.latencyMs, attributes);
    const call = runningCall();
    if (!call) return;
    const endpoint = new URL(event.endpoint);
    call.span.setAttributes({
      ...attributes,
      'server.address': endpoint.hostname,
      'server.port': Number(endpoint.port) || (endpoint.protocol === 'https:' ? 443 : 80),
      'verigator.breaker.state': event.breakerState,
    });
    if (call.counts.retries + call.counts.failovers > 0) {
      call.span.setAttributes({
        'verigator.retries': call.counts.retries,
        'verigator.failover': call.counts.failovers > 0,
      });
    }
    if (event.outcome === 'failure') {
      call.span.setStatus({ code: api.SpanStatusCode.ERROR, message: event.error?.code });
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

  const subscriptions: [VerigatorChannelName, (message: unknown) => void][] = [
    [VERIGATOR_CHANNELS.clientCall, onCall],
    [VERIGATOR_CHANNELS.clientResilience, onResilience],
    [VERIGATOR_CHANNELS.guardDecision, onDecision],
    [VERIGATOR_CHANNELS.smsDefence, onSmsDefence],
  ];
  const calls = CALL_TRACE;
  const store = new OpenTelemetryContextStore(api);
  calls.start.bindStore(store, onCallStart);
  calls.asyncEnd.subscribe(onCallEnd as (message: unknown) => void);
  for (const [name, listener] of subscriptions) HELD_CHANNELS.get(name)!.subscribe(listener);
  return () => {
    for (const [name, listener] of subscriptions) HELD_CHANNELS.get(name)!.unsubscribe(listener);
    calls.asyncEnd.unsubscribe(onCallEnd as (message: unknown) => void);
    calls.start.unbindStore(store);
  };
}

/**
 * The store bound to the call trace's start: Node enters a bound store with `store.run(value,
 * fn)` (`runStores`), and this one enters OpenTelemetry's context instead, through its public API,
 * so whichever context manager the app registered applies.
 */
class OpenTelemetryContextStore extends AsyncLocalStorage<OpenTelemetry.Context> {
  constructor(private readonly api: typeof OpenTelemetry) {
    super();
  }

  override run<R, A extends unknown[]>(
    context: OpenTelemetry.Context,
    fn: (...args: A) => R,
    ...args: A
  ): R {
    return this.api.context.with(context, fn, undefined, ...args);
  }
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
