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
