/**
 * What the SMS defences (`sms` module option) did: `smsRefused` for each SMS they stopped, with
 * the reason and the number's country and prefix when known (never the number); and
 * `smsBudgetExhausted`, the alarm, once per budget window across every instance.
 */
export type SmsDefenceEvent =
  | {
      type: 'smsRefused';
      /** `country` (outside `allowedCountries`), `unknownNumber`, `prefix` or `budget`. */
      reason: 'country' | 'unknownNumber' | 'prefix' | 'budget';
      serviceId: string;
      /** Verigator's id of the user. */
      userId: string;
      /** ISO 3166-1 alpha-2 code of the number, when known. */
      country?: string;
      /** The first digits of the E.164 number (`prefixBudget.digits`, default 6), when known. */
      prefix?: string;
      /** Epoch milliseconds. */
      timestamp: number;
    }
  | {
      type: 'smsBudgetExhausted';
      /** The budget: `max` SMS per `windowMs`. */
      max: number;
      windowMs: number;
      /** Milliseconds until the window ends and SMS flow again. */
      retryAfterMs: number;
      /** Epoch milliseconds. */
      timestamp: number;
    };
