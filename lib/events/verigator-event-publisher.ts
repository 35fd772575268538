import { Inject, Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { VERIGATOR_OPTIONS } from '../verigator.constants';
import { describeVerigatorCall } from './describe-verigator-call';
import type { VerigatorCallEvent } from './verigator-call-event';
import {
  CALL_TRACE,
  HELD_CHANNELS,
  VerigatorChannelName,
  VERIGATOR_CHANNELS,
  channelNameOf,
} from './verigator-channels';
import type {
  VerigatorEvent,
  VerigatorEventInput,
  VerigatorEventListener,
} from './verigator-event';
import { toVerigatorEventError } from './verigator-event-error';

/** Where a call ended: what `observeCall` asks the transport once the call has settled. */
export type VerigatorCallEnd = Pick<VerigatorCallEvent, 'endpoint' | 'breakerState'>;

/**
 * Publishes the audit trail: each event goes to its `node:diagnostics_channel` channel
 * (`VERIGATOR_CHANNELS`) and to the `onEvent` option. Listeners can never fail the caller: what
 * `onEvent` throws or rejects with is logged (a `diagnostics_channel` subscriber that throws is
 * reported by Node itself, on `process`'s `uncaughtException`, as for undici's channels).
 * Each call is also traced, as Node's `TracingChannel` of the call channel's name, so that a
 * tracer can bind its context to the call while it runs (its HTTP requests then nest under it).
 */
@Injectable()
export class VerigatorEventPublisher {
  private readonly logger = new Logger('VerigatorEvents');
  private readonly listener?: VerigatorEventListener;
  private readonly channels = HELD_CHANNELS;
  private readonly callTrace = CALL_TRACE;

  constructor(@Inject(VERIGATOR_OPTIONS) options: { onEvent?: VerigatorEventListener }) {
    this.listener = options.onEvent;
  }

  /** Whether anyone listens to the events of `channelName`: callers skip building them if not. */
  isObserved(channelName: VerigatorChannelName): boolean {
    return this.listener !== undefined || this.channels.get(channelName)!.hasSubscribers;
  }

  /** Stamps `event` with the time, freezes it and hands it to every listener, if any. */
  publish(input: VerigatorEventInput): void {
    const target = this.channels.get(channelNameOf(input))!;
    if (this.listener === undefined && !target.hasSubscribers) return;
    const event = Object.freeze({ ...input, timestamp: Date.now() }) as VerigatorEvent;
    if (target.hasSubscribers) target.publish(event);
    if (this.listener === undefined) return;
    try {
      const result = this.listener(event);
      if (result && typeof result.then === 'function') {
        result.then(undefined, (error: unknown) => this.onListenerError(error));
      }
    } catch (error) {
      this.onListenerError(error);
    }
  }

  /**
   * Runs one Verigator call and publishes its `call` event (operation, path template, where it
   * ended, outcome, latency), within the call's trace when the trace has subscribers: the event
   * is published while a tracer's bound context is still active. Resolves or rejects exactly as
   * `call` does. Costs one check when nothing listens.
   */
  async observeCall<T>(
    httpMethod: string,
    path: string,
    call: () => Promise<T>,
    ended: () => VerigatorCallEnd,
  ): Promise<T> {
    const traced = this.callTrace.hasSubscribers;
    if (!traced && !this.isObserved(VERIGATOR_CHANNELS.clientCall)) return call();
    const description = describeVerigatorCall(httpMethod, path);
    const observed = async (): Promise<T> => {
      const started = performance.now();
      try {
        const result = await call();
        const latencyMs = since(started);
        this.publish({ type: 'call', ...description, ...ended(), outcome: 'success', latencyMs });
        return result;
      } catch (error) {
        this.publish({
          type: 'call',
          ...description,
          ...ended(),
          outcome: 'failure',
          error: toVerigatorEventError(error),
          latencyMs: since(started),
        });
        throw error;
      }
    };
    if (!traced) return observed();
    const { operation, path: template } = description;
    let result!: Promise<T>;
    // The trace settles with nothing: the answer and the error stay out of its context, as they
    // stay out of every event.
    await this.callTrace.tracePromise(() => (result = observed()).then(ignore, ignore), {
      operation,
      httpMethod,
      path: template,
    });
    return result;
  }

  private onListenerError(error: unknown): void {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.error(`The onEvent listener failed; the request went on: ${text.slice(0, 300)}`);
  }
}

function ignore(): void {}

function since(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
