import fc from 'fast-check';
import { isTwoFactorSecurityKey, twoFactorStoreKey } from './two-factor-store-keys';

describe('twoFactorStoreKey', () => {
  it.each([
    [['svc', 'alice'], 'verigator-2fa:attempts:{svc:alice}'],
    [['svc', 'alice', 'sms', ''], 'verigator-2fa:attempts:{svc:alice}:sms:'],
    [['s:v{c}', 'al ice/%'], 'verigator-2fa:attempts:{s%3Av%7Bc%7D:al%20ice%2F%25}'],
    [['svc', 'alice', 'a:b'], 'verigator-2fa:attempts:{svc:alice}:a%3Ab'],
    [[], 'verigator-2fa:attempts:{:}'],
  ])('keys the parts %j as %s', (parts, key) => {
    expect(twoFactorStoreKey('attempts', ...parts)).toBe(key);
  });

  it('URI-encodes every part, whatever its characters', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({
            unit: fc.oneof(fc.constant('é'), fc.string({ unit: 'binary-ascii', maxLength: 1 })),
          }),
          { maxLength: 4 },
        ),
        (parts) => {
          const [serviceId = '', userId = '', ...rest] = parts.map(encodeURIComponent);
          const tail = rest.map((part) => `:${part}`).join('');
          expect(twoFactorStoreKey('sms', ...parts)).toBe(
            `verigator-2fa:sms:{${serviceId}:${userId}}${tail}`,
          );
        },
      ),
    );
  });

  it('marks lockout counters and send budgets as security keys, not cooldowns', () => {
    expect(isTwoFactorSecurityKey(twoFactorStoreKey('attempts', 'svc', 'alice'))).toBe(true);
    expect(isTwoFactorSecurityKey(twoFactorStoreKey('sends', 'svc', 'alice'))).toBe(true);
    expect(isTwoFactorSecurityKey(twoFactorStoreKey('cooldown', 'svc', 'alice'))).toBe(false);
  });
});
