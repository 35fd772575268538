import { Inject, Injectable, Logger } from '@nestjs/common';
import { channel, Channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { VERIGATOR_OPTIONS } from '../verigator.constants';
import { describeVerigatorCall } from './describe-verigator-call';
import { VerigatorChannelName, VERIGATOR_CHANNELS, channelNameOf } from './verigator-channels';
import type {
  VerigatorEvent,
  VerigatorEventInput,
  VerigatorEventListener,
} from './verigator-event';
import { toVerigatorEventError } from './verigator-event-error';

/**
 * Publishes the audit trail: each event goes to its `node:diagnostics_channel` channel
 * (`VERIGATOR_CHANNELS`) and to the `onEvent` option. Listeners can never fail the caller: what
 * `onEvent` throws or rejects with is logged (a `diagnostics_channel` subscriber that throws is
 * reported by Node itself, on `process`'s `uncaughtException`, as for undici's channels).
 */
@Injectable()
export class VerigatorEventPublisher {
  private readonly logger = new Logger('VerigatorEvents');
  private readonly listener?: VerigatorEventListener;
  private readonly channels = new Map<VerigatorChannelName, Channel>(
    Object.values(VERIGATOR_CHANNELS).map((name) => [name, channel(name)]),
  );

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
   * Runs one Verigator call and publishes its `call` event (operation, path template, outcome,
   * latency). Resolves or rejects exactly as `call` does.
   */
  async observeCall<T>(httpMethod: string, path: string, call: () => Promise<T>): Promise<T> {
    if (!this.isObserved(VERIGATOR_CHANNELS.clientCall)) return call();
    const started = performance.now();
    const description = describeVerigatorCall(httpMethod, path);
    try {
      const result = await call();
      this.publish({ type: 'call', ...description, outcome: 'success', latencyMs: since(started) });
      return result;
    } catch (error) {
      this.publish({
        type: 'call',
        ...description,
        outcome: 'failure',
        error: toVerigatorEventError(error),
        latencyMs: since(started),
      });
      throw error;
    }
  }

  private onListenerError(error: unknown): void {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.error(`The onEvent listener failed; the request went on: ${text.slice(0, 300)}`);
  }
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
