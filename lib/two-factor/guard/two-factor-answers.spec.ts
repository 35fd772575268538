import { AuthMethod } from '../../models/verigator.models';
import { TwoFactorErrorCode } from '../two-factor.exception';
import { codeSent, limitReached, notVerified, retryAfterSeconds } from './two-factor-answers';

describe('two-factor answers', () => {
  it.each([
    [
      AuthMethod.SMS,
      'refuse',
      AuthMethod.SMS,
      { code: TwoFactorErrorCode.REQUIRED, method: 'sms' },
    ],
    [
      AuthMethod.TOTP,
      'accept',
      AuthMethod.TOTP,
      { code: TwoFactorErrorCode.REQUIRED, method: 'totp' },
    ],
    [
      AuthMethod.TOTP,
      'accept',
      AuthMethod.SMS,
      { code: TwoFactorErrorCode.REQUIRED, method: 'sms' },
    ],
    [AuthMethod.TOTP, 'refuse', AuthMethod.SMS, { code: TwoFactorErrorCode.APP_REQUIRED }],
  ] as const)(
    'a %s route (fallback %s) whose code went by %s answers %j',
    (method, smsFallback, used, answer) => {
      expect(codeSent({ method, smsFallback }, used)).toEqual(answer);
    },
  );

  it('tells a wrong token from an expired or throttled code', () => {
    expect(notVerified().code).toBe(TwoFactorErrorCode.INVALID);
    expect(notVerified({ expired: true }).code).toBe(TwoFactorErrorCode.EXPIRED);
    expect(notVerified({ throttled: true, expired: true }).code).toBe(TwoFactorErrorCode.THROTTLED);
  });

  it('gives every limit its 429 code, event and time to wait in whole seconds', () => {
    expect(limitReached.locked(1_500)).toMatchObject({
      code: 'TWO_FACTOR_LOCKED',
      retryAfterMs: 1_500,
    });
    expect(limitReached.sendBudget(1).event).toMatchObject({
      type: 'sendRefused',
      reason: 'budget',
    });
    expect(limitReached.smsPending(1).event).toMatchObject({
      type: 'failed',
      reason: 'smsPending',
    });
    expect([retryAfterSeconds(1), retryAfterSeconds(1_000), retryAfterSeconds(1_001)]).toEqual([
      '1',
      '1',
      '2',
    ]);
  });
});
