import { Test } from '@nestjs/testing';
import { VerigatorModule } from '../verigator.module';
import { RequireTwoFactor } from '../two-factor/decorators/require-two-factor.decorator';
import { resolveTwoFactorOptions } from './two-factor-options';
import { TwoFactorModuleOptions } from '../two-factor/two-factor-options.interface';
import { InMemoryRecoveryCodeStore } from '../recovery-codes/in-memory-recovery-code.store';
import { RecoveryCodesOptions } from '../recovery-codes/recovery-codes-options';

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

describe('resolveTwoFactorOptions: twoFactor.recoveryCodes', () => {
  const store = new InMemoryRecoveryCodeStore();
  const secret = 'a-secret-of-at-least-32-characters!';
  const resolve = (recoveryCodes: unknown) =>
    resolveTwoFactorOptions({
      twoFactor: { recoveryCodes: recoveryCodes as RecoveryCodesOptions },
    }).recoveryCodes;

  it('is off when absent', () => {
    expect(resolveTwoFactorOptions({ twoFactor: {} }).recoveryCodes).toBeUndefined();
  });

  it('keeps the secrets newest first, and makes 10 codes by default', () => {
    const other = 'another-secret-of-32-characters-or-more';
    expect(resolve({ store, secrets: { v2: secret, v1: other } })).toEqual({
      store,
      secrets: [
        { version: 'v2', secret },
        { version: 'v1', secret: other },
      ],
      count: 10,
    });
    expect(resolve({ store, secrets: { v1: secret }, count: 16 })?.count).toBe(16);
  });

  it.each<[string, unknown]>([
    ['twoFactor.recoveryCodes', 'on'],
    ['twoFactor.recoveryCodes.secret', { store, secret }],
    ['twoFactor.recoveryCodes.store', { secrets: { v1: secret } }],
    ['twoFactor.recoveryCodes.store', { store: { get() {} }, secrets: { v1: secret } }],
    ['twoFactor.recoveryCodes.secrets', { store }],
    ['twoFactor.recoveryCodes.secrets', { store, secrets: {} }],
    ['twoFactor.recoveryCodes.secrets', { store, secrets: { 2: secret } }],
    ['twoFactor.recoveryCodes.secrets', { store, secrets: { 'v:1': secret } }],
    ['twoFactor.recoveryCodes.secrets.v1', { store, secrets: { v1: 'short' } }],
    ['twoFactor.recoveryCodes.secrets.v1', { store, secrets: { v1: undefined } }],
    ['twoFactor.recoveryCodes.count', { store, secrets: { v1: secret }, count: 0 }],
    ['twoFactor.recoveryCodes.count', { store, secrets: { v1: secret }, count: 101 }],
  ])('names %s when it is unusable', (option, recoveryCodes) => {
    expect(() => resolve(recoveryCodes)).toThrow(`"${option}"`);
  });

  it('never prints a secret', () => {
    const almost = 'x'.repeat(31);
    expect(() => resolve({ store, secrets: { v1: almost } })).toThrow(/at least 32 characters/);
    expect(() => resolve({ store, secrets: { v1: almost } })).not.toThrow(almost);
  });

  it('fails the bootstrap without a secret', async () => {
    const compile = Test.createTestingModule({
      imports: [
        VerigatorModule.forRoot({
          username: 'u',
          password: 'p',
          twoFactor: { recoveryCodes: { store } as unknown as RecoveryCodesOptions },
        }),
      ],
    }).compile();
    await expect(compile).rejects.toThrow(
      'VerigatorModule option "twoFactor.recoveryCodes.secrets"',
    );
  });
});

describe('RequireTwoFactor', () => {
  it('refuses unusable route options when applied', () => {
    expect(() => RequireTwoFactor({ maxAge: -1 })).toThrow('"@RequireTwoFactor().maxAge"');
    expect(() => RequireTwoFactor({ method: 'fax' as never })).toThrow('.method');
    expect(() => RequireTwoFactor({ recoveryCodes: 'no' as never })).toThrow(
      '"@RequireTwoFactor().recoveryCodes" must be a boolean',
    );
    expect(() => RequireTwoFactor({ trustedDevices: 'no' as never })).toThrow(
      '"@RequireTwoFactor().trustedDevices"',
    );
  });
});
