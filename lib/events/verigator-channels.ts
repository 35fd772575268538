import { Channel, TracingChannel, channel, tracingChannel } from 'node:diagnostics_channel';
import type { VerigatorCallEvent } from './verigator-call-event';
import type { VerigatorEvent } from './verigator-event';

/**
 * The `node:diagnostics_channel` channels the library publishes on, named as undici names its
 * own (`library:object:event`). Messages are the same frozen objects `onEvent` receives.
 * @example
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(VERIGATOR_CHANNELS.guardDecision, (event) => audit.write(event as TwoFactorEvent));
 */
export const VERIGATOR_CHANNELS = {
  /** `TwoFactorEvent`: what `TwoFactorGuard` decided for a request. */
  guardDecision: 'verigator:guard:decision',
  /** `VerigatorCallEvent`: one finished call to Verigator. */
  clientCall: 'verigator:client:call',
  /** `VerigatorResilienceEvent`: a retry, a failover or a circuit breaker state change. */
  clientResilience: 'verigator:client:resilience',
  /** `SmsDefenceEvent`: an SMS refused by the `sms` defences, or the budget's alarm. */
  smsDefence: 'verigator:sms:defence',
} as const;

/** The name of one of {@link VERIGATOR_CHANNELS}. */
export type VerigatorChannelName = (typeof VERIGATOR_CHANNELS)[keyof typeof VERIGATOR_CHANNELS];

/**
 * The context of the call's trace (`tracingChannel(VERIGATOR_CHANNELS.clientCall)`): the call,
 * without its ids. Its subscribers may add fields of their own.
 */
export type VerigatorCallTrace = Pick<VerigatorCallEvent, 'operation' | 'httpMethod' | 'path'>;

/**
 * The channels themselves, made once and held for good, which the publisher and
 * instrumentVerigator share. Node 20 keeps channels weakly, by name, and when one that nobody
 * holds is collected, its finalizer later deletes whichever channel has that name by then, even
 * a new one with subscribers (nodejs/node#59910): events then went to a channel nobody listened
 * to. A channel that is never collected is never deleted.
 */
export const HELD_CHANNELS: ReadonlyMap<VerigatorChannelName, Channel> = new Map(
  Object.values(VERIGATOR_CHANNELS).map((name) => [name, channel(name)]),
);

/**
 * Each call's trace, held for the same reason. Its store type is `object`, which every
 * `@types/node` accepts (newer ones require an object there; this type is in our declarations).
 */
export const CALL_TRACE: TracingChannel<object, VerigatorCallTrace> = tracingChannel(
  VERIGATOR_CHANNELS.clientCall,
);

/** The channel an event is published on. */
export function channelNameOf(event: Pick<VerigatorEvent, 'type'>): VerigatorChannelName {
  switch (event.type) {
    case 'call':
      return VERIGATOR_CHANNELS.clientCall;
    case 'retry':
    case 'failover':
    case 'breakerOpened':
    case 'breakerHalfOpened':
    case 'breakerClosed':
      return VERIGATOR_CHANNELS.clientResilience;
    case 'smsRefused':
    case 'smsBudgetExhausted':
      return VERIGATOR_CHANNELS.smsDefence;
    default:
      return VERIGATOR_CHANNELS.guardDecision;
  }
}
