import { Inject, Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { InvalidDataError, RateLimitedError, SmsRefusedError } from '../errors/verigator.error';
import type { SmsDefenceEvent } from '../events/sms-defence-event';
import { VERIGATOR_CHANNELS } from '../events/verigator-channels';
import { VerigatorEventPublisher } from '../events/verigator-event-publisher';
import type { AuthMethod } from '../models/verigator.models';
import { twoFactorStoreKey } from '../stores/two-factor-store-keys';
import { TwoFactorStore } from '../stores/two-factor.store';
import { VERIGATOR_OPTIONS } from '../verigator.constants';

/** Why an SMS was refused, as the `smsRefused` event says. */
type SmsRefusalReason = Extract<SmsDefenceEvent, { type: 'smsRefused' }>['reason'];

/** The SMS defences' settings, as `options/` resolves the `sms` module option. */
export interface SmsDefenceSettings {
  allowedCountries?: ReadonlySet<string>;
  budget?: { max: number; window: number; reservedForVerified: number };
  prefixBudget?: { max: number; window: number };
  /** Digits of the E.164 number (country code included) that make its prefix. */
  prefixDigits: number;
  phoneNumberOf?: (
    serviceId: string,
    userId: string,
  ) => string | undefined | Promise<string | undefined>;
  unknownNumbers: 'allow' | 'refuse';
}

/** A sent (or maybe sent) SMS as counted: `settle` gives back what it counted when none went out. */
export interface SmsSend {
  settle(outcome: { used?: AuthMethod; notSent?: boolean }): Promise<void>;
}

/** What the library knows of a user's number: never the number itself. */
interface NumberInfo {
  country?: string;
  prefix: string;
}

/** How long a user's recorded country/prefix, app enrolment and past verification are kept. */
const USER_RECORD_TTL_MS = 400 * 24 * 60 * 60 * 1000;
const NOTHING_COUNTED: SmsSend = { settle: async () => undefined };

/**
 * The SMS pumping defences (`sms` module option): checks the country allow-list and counts the
 * app-wide and per-prefix budgets in the `TwoFactorStore`, atomically, before `AuthService`
 * starts an SMS. Off (and free) when the option is absent.
 */
@Injectable()
export class SmsDefence {
  private readonly options?: SmsDefenceSettings;

  constructor(
    @Inject(VERIGATOR_OPTIONS) options: { sms?: SmsDefenceSettings },
    @Inject(TwoFactorStore) private readonly store: TwoFactorStore,
    private readonly events: VerigatorEventPublisher,
  ) {
    this.options = options.sms;
  }

  /**
   * Refuses a new user's number outside the allow-list, before anything is sent.
   * @throws InvalidDataError naming `phoneNumber`.
   */
  checkNewNumber(phoneNumber: string): void {
    const allowed = this.options?.allowedCountries;
    if (!allowed) return;
    const country = parsePhoneNumberFromString(phoneNumber)?.country;
    if (country === undefined || !allowed.has(country)) {
      throw InvalidDataError.fromFields([
        { field: 'phoneNumber', messages: ['phoneNumber must be in a country SMS may be sent to'] },
      ]);
    }
  }

  /** Records the country and prefix (never the number) of a user created through the library. */
  async recordUser(serviceId: string, userId: string, phoneNumber: string): Promise<void> {
    if (!this.options) return;
    const info = this.describe(phoneNumber);
    if (info === undefined) return;
    await this.store.set(userKey('smsNumber', serviceId, userId), encode(info), USER_RECORD_TTL_MS);
  }

  /** Remembers that the user verified a code: they may use the budget's reserved share. */
  async recordVerified(serviceId: string, userId: string): Promise<void> {
    if (!this.options?.budget) return;
    await this.store.set(userKey('smsVerified', serviceId, userId), '1', USER_RECORD_TTL_MS);
  }

  /**
   * Checks and counts an SMS about to be started (a `totp` initiation counts unless the user is
   * known to have the app: Verigator may fall back to SMS).
   * @throws SmsRefusedError when the number may get no SMS, RateLimitedError (`SMS_LIMITED`) when
   *   a budget is spent; nothing is counted then.
   */
  async beforeSend(serviceId: string, userId: string, method: AuthMethod): Promise<SmsSend> {
    const options = this.options;
    if (!options) return NOTHING_COUNTED;
    const appKey = userKey('smsApp', serviceId, userId);
    if (method === 'totp' && (await this.store.get(appKey))) {
      return { settle: (outcome) => this.settleUncounted(serviceId, userId, appKey, outcome) };
    }
    const info = await this.numberOf(serviceId, userId);
    if (!info && options.unknownNumbers === 'refuse')
      this.refuse('unknownNumber', serviceId, userId);
    if (info && options.allowedCountries && !options.allowedCountries.has(info.country ?? '')) {
      this.refuse('country', serviceId, userId, info);
    }
    const counted: string[] = [];
    if (info && options.prefixBudget) {
      const key = twoFactorStoreKey('smsPrefix', '', info.prefix);
      const { count, ttlMs } = await this.store.increment(key, options.prefixBudget.window);
      if (count > options.prefixBudget.max) {
        await this.store.decrement(key);
        this.refuse('prefix', serviceId, userId, info, ttlMs);
      }
      counted.push(key);
    }
    if (options.budget) {
      const { max, window, reservedForVerified } = options.budget;
      const key = twoFactorStoreKey('smsBudget', '', '');
      const verified = await this.store.get(userKey('smsVerified', serviceId, userId));
      const limit = verified ? max : Math.floor(max * (1 - reservedForVerified));
      const { count, ttlMs } = await this.store.increment(key, window);
      if (count > limit) {
        await Promise.all([key, ...counted].map((k) => this.store.decrement(k)));
        await this.raiseAlarm(ttlMs);
        this.refuse('budget', serviceId, userId, info, ttlMs);
      }
      counted.push(key);
    }
    return {
      settle: async ({ used, notSent }) => {
        if (!notSent && used !== 'totp') return;
        await Promise.all(counted.map((k) => this.store.decrement(k)));
        if (used === 'totp') await this.store.set(appKey, '1', USER_RECORD_TTL_MS);
      },
    };
  }

  /** A `totp` initiation for a user with the app: counted only if Verigator texted after all. */
  private async settleUncounted(
    serviceId: string,
    userId: string,
    appKey: string,
    { used }: { used?: AuthMethod },
  ): Promise<void> {
    if (used !== 'sms') return;
    await this.store.delete(appKey);
    const options = this.options!;
    const info = await this.numberOf(serviceId, userId);
    const keys: [string, number][] = [];
    if (info && options.prefixBudget) {
      keys.push([twoFactorStoreKey('smsPrefix', '', info.prefix), options.prefixBudget.window]);
    }
    if (options.budget) keys.push([twoFactorStoreKey('smsBudget', '', ''), options.budget.window]);
    await Promise.all(keys.map(([key, window]) => this.store.increment(key, window)));
  }

  private async numberOf(serviceId: string, userId: string): Promise<NumberInfo | undefined> {
    const recorded = await this.store.get(userKey('smsNumber', serviceId, userId));
    if (recorded) {
      const info = decode(recorded.value);
      return { ...info, prefix: info.prefix.slice(0, this.options!.prefixDigits) };
    }
    const number = await this.options!.phoneNumberOf?.(serviceId, userId);
    return typeof number === 'string' ? this.describe(number) : undefined;
  }

  private describe(phoneNumber: string): NumberInfo | undefined {
    const parsed = parsePhoneNumberFromString(phoneNumber);
    if (!parsed) return undefined;
    return {
      country: parsed.country,
      prefix: parsed.number.slice(1, 1 + this.options!.prefixDigits),
    };
  }

  /** Publishes `smsBudgetExhausted` once per window, whichever instance sees it first. */
  private async raiseAlarm(ttlMs: number): Promise<void> {
    const first = await this.store.setIfAbsent(twoFactorStoreKey('smsAlarm', '', ''), '1', ttlMs);
    if (!first || !this.events.isObserved(VERIGATOR_CHANNELS.smsDefence)) return;
    const { max, window } = this.options!.budget!;
    this.events.publish({ type: 'smsBudgetExhausted', max, windowMs: window, retryAfterMs: ttlMs });
  }

  private refuse(
    reason: SmsRefusalReason,
    serviceId: string,
    userId: string,
    info?: NumberInfo,
    retryAfterMs?: number,
  ): never {
    if (this.events.isObserved(VERIGATOR_CHANNELS.smsDefence)) {
      this.events.publish({
        type: 'smsRefused',
        reason,
        serviceId,
        userId,
        ...(info?.country !== undefined && { country: info.country }),
        ...(info && { prefix: info.prefix }),
      });
    }
    if (reason === 'country' || reason === 'unknownNumber') throw new SmsRefusedError(reason);
    throw new RateLimitedError(`SMS refused: the ${reason} budget is spent`, {
      code: 'SMS_LIMITED',
      ...(retryAfterMs !== undefined && {
        retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
      }),
    });
  }
}

function userKey(
  kind: 'smsNumber' | 'smsApp' | 'smsVerified',
  serviceId: string,
  userId: string,
): string {
  return twoFactorStoreKey(kind, serviceId, userId);
}

function encode(info: NumberInfo): string {
  return `${info.country ?? ''}:${info.prefix}`;
}

function decode(value: string): NumberInfo {
  const [country, prefix = ''] = value.split(':');
  return { ...(country && { country }), prefix };
}
