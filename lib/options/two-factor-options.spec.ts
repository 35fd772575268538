import { Test } from '@nestjs/testing';
import { VerigatorModule } from '../verigator.module';
import { RequireTwoFactor } from '../two-factor/decorators/require-two-factor.decorator';
import { resolveTwoFactorOptions } from './two-factor-options';
import { TwoFactorModuleOptions } from '../two-factor/two-factor-options.interface';

describe('resolveTwoFactorOptions', () => {
  it('applies the defaults, in milliseconds', () => {
    expect(resolveTwoFactorOptions({ serviceId: 'svc' })).toEqual({
      method: 'sms',
      serviceId: 'svc',
      maxAge: 0,
      cooldown: 60_000,
      maxAttempts: 5,
      window: 900_000,
      maxSends: 5,
      sendWindow: 600_000,
      smsFallback: 'accept',
      smsCodeLifetime: 300_000,
      failOpen: false,
      messages: {},
    });
  });

  it('applies the trusted devices defaults when the feature is configured', () => {
    const resolved = resolveTwoFactorOptions({
      twoFactor: { trustedDevices: { transport: 'cookie' } },
    });
    expect(resolved.trustedDevices).toEqual({
      transport: 'cookie',
      lifetime: 30 * 24 * 3_600_000,
      maxPerUser: 10,
      cookieName: '__Host-verigator-device',
    });
  });

  it('lets twoFactor.serviceId beat the module serviceId', () => {
    const resolved = resolveTwoFactorOptions({ serviceId: 'a', twoFactor: { serviceId: 'b' } });
    expect(resolved.serviceId).toBe('b');
  });

  it.each<[string, TwoFactorModuleOptions]>([
    ['twoFactor.cooldown', { cooldown: 0 }],
    ['twoFactor.window', { window: -1 }],
    ['twoFactor.maxAttempts', { maxAttempts: 1.5 }],
    ['twoFactor.maxSends', { maxSends: 0 }],
    ['twoFactor.sendWindow', { sendWindow: Number.POSITIVE_INFINITY }],
    ['twoFactor.maxAge', { maxAge: Number.NaN }],
    ['twoFactor.method', { method: 'voice' as never }],
    ['twoFactor.smsFallback', { smsFallback: 'maybe' as never }],
    ['twoFactor.smsCodeLifetime', { smsCodeLifetime: 0 }],
    ['twoFactor.serviceId', { serviceId: ' ' }],
    ['twoFactor.failOpen', { failOpen: 'yes' as never }],
    ['twoFactor.userId', { userId: 'user.id' as never }],
    ['twoFactor.store', { store: { get: () => undefined } as never }],
    ['twoFactor.messages.NOPE', { messages: { NOPE: 'x' } as never }],
    ['twoFactor.trustedDevices', { trustedDevices: 'cookie' as never }],
    ['twoFactor.trustedDevices.transport', { trustedDevices: { transport: 'body' as never } }],
    ['twoFactor.trustedDevices.lifetime', { trustedDevices: { transport: 'header', lifetime: 0 } }],
    [
      'twoFactor.trustedDevices.maxPerUser',
      { trustedDevices: { transport: 'header', maxPerUser: 101 } },
    ],
    [
      'twoFactor.trustedDevices.cookieName',
      { trustedDevices: { transport: 'cookie', cookieName: 'a;b' } },
    ],
    [
      'twoFactor.trustedDevices.maxAge',
      { trustedDevices: { transport: 'cookie', maxAge: 1 } as never },
    ],
  ])('names %s when it is unusable', (option, twoFactor) => {
    expect(() => resolveTwoFactorOptions({ twoFactor })).toThrow(`"${option}"`);
  });

  it('fails the bootstrap naming the option', async () => {
    const compile = Test.createTestingModule({
      imports: [
        VerigatorModule.forRoot({ username: 'u', password: 'p', twoFactor: { cooldown: -5 } }),
      ],
    }).compile();
    await expect(compile).rejects.toThrow('VerigatorModule option "twoFactor.cooldown"');
  });
});

describe('RequireTwoFactor', () => {
  it('refuses unusable route options when applied', () => {
    expect(() => RequireTwoFactor({ maxAge: -1 })).toThrow('"@RequireTwoFactor().maxAge"');
    expect(() => RequireTwoFactor({ method: 'fax' as never })).toThrow('.method');
    expect(() => RequireTwoFactor({ trustedDevices: 'no' as never })).toThrow(
      '"@RequireTwoFactor().trustedDevices"',
    );
  });
});
