import type { SmsDefenceEvent } from './sms-defence-event';
import type { TwoFactorEvent } from './two-factor-event';
import type { VerigatorCallEvent } from './verigator-call-event';
import type { VerigatorResilienceEvent } from './verigator-resilience-event';

/** Every event of the audit trail; `type` tells them apart. */
export type VerigatorEvent =
  TwoFactorEvent | VerigatorCallEvent | VerigatorResilienceEvent | SmsDefenceEvent;

/** An event as the library builds it, before the publisher stamps its `timestamp`. */
export type VerigatorEventInput = VerigatorEvent extends infer E
  ? E extends VerigatorEvent
    ? Omit<E, 'timestamp'>
    : never
  : never;

/**
 * The `onEvent` module option. Called synchronously; what it throws or rejects with is logged and
 * never affects the request.
 */
export type VerigatorEventListener = (event: VerigatorEvent) => void | Promise<void>;
