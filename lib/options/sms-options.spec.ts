import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { resolveSmsOptions } from './sms-options';

describe('the sms option', () => {
  it('is off when absent, and applies defaults when set', () => {
    expect(resolveSmsOptions(undefined)).toBeUndefined();
    expect(
      resolveSmsOptions({
        allowedCountries: ['EE', 'FI'],
        budget: { max: 100, window: 60_000 },
        prefixBudget: { max: 5, window: 60_000 },
      }),
    ).toEqual({
      allowedCountries: new Set(['EE', 'FI']),
      budget: { max: 100, window: 60_000, reservedForVerified: 0.2 },
      prefixBudget: { max: 5, window: 60_000 },
      prefixDigits: 6,
      unknownNumbers: 'allow',
    });
  });

  it.each([
    [{ alowedCountries: ['EE'] }, 'sms.alowedCountries', 'did you mean "allowedCountries"'],
    [{ allowedCountries: [] }, 'sms.allowedCountries', 'non-empty array'],
    [{ allowedCountries: ['EE', 'ee'] }, 'sms.allowedCountries[1]', 'ISO 3166-1'],
    [{ allowedCountries: ['XX'] }, 'sms.allowedCountries[0]', 'ISO 3166-1'],
    [{ budget: { max: 0, window: 1000 } }, 'sms.budget.max', 'positive integer'],
    [{ budget: { max: 5 } }, 'sms.budget.window', 'milliseconds'],
    [
      { budget: { max: 5, window: 1000, reservedForVerified: 1 } },
      'sms.budget.reservedForVerified',
      '0 to less than 1',
    ],
    [
      { budget: { max: 5, window: 1000, reserved: 0.2 } },
      'sms.budget.reserved',
      'not a known option',
    ],
    [
      { prefixBudget: { max: 5, window: 1000, digits: 1 } },
      'sms.prefixBudget.digits',
      'from 2 to 15',
    ],
    [{ phoneNumberOf: 'no' }, 'sms.phoneNumberOf', 'function'],
    [{ unknownNumbers: 'deny' }, 'sms.unknownNumbers', "'allow' or 'refuse'"],
  ])('refuses %p naming %s', (value, option, message) => {
    const error = (() => {
      try {
        resolveSmsOptions(value);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(VerigatorConfigurationError);
    expect((error as Error).message).toContain(option);
    expect((error as Error).message).toContain(message);
  });
});
