import { AuthMethod, outranks } from '../../models/verigator.models';
import { InMemoryTwoFactorStore } from '../../stores/in-memory-two-factor.store';
import { twoFactorStoreKey } from '../../stores/two-factor-store-keys';
import { TwoFactorRecords } from './two-factor-records';

describe('TwoFactorRecords', () => {
  let now = 0;
  const user = { serviceId: 'svc', userId: 'u-1' };
  const records = () =>
    new TwoFactorRecords(
      new InMemoryTwoFactorStore({ now: () => now }),
      { cooldown: 60_000, smsCodeLifetime: 300_000 },
      twoFactorStoreKey,
    );
  const route = (method: AuthMethod, smsFallback: 'accept' | 'refuse' = 'accept') => ({
    ...user,
    method,
    smsFallback,
  });

  beforeEach(() => {
    now = 0;
  });

  it('ranks TOTP above SMS', () => {
    expect(outranks(AuthMethod.TOTP, AuthMethod.SMS)).toBe(true);
    expect(outranks(AuthMethod.TOTP, AuthMethod.TOTP)).toBe(true);
    expect(outranks(AuthMethod.SMS, AuthMethod.SMS)).toBe(true);
    expect(outranks(AuthMethod.SMS, AuthMethod.TOTP)).toBe(false);
  });

  it('keeps a cooldown per route method, holding the method Verigator used', async () => {
    const subject = records();
    expect(await subject.claimCooldown(user, AuthMethod.TOTP)).toBe(true);
    expect(await subject.claimCooldown(user, AuthMethod.TOTP)).toBe(false);
    expect(await subject.claimCooldown(user, AuthMethod.SMS)).toBe(true);
    await subject.sent(user, AuthMethod.TOTP, AuthMethod.SMS);
    expect(await subject.cooldownMethod(user, AuthMethod.TOTP)).toBe(AuthMethod.SMS);
    await subject.releaseCooldown(user, AuthMethod.TOTP);
    expect(await subject.claimCooldown(user, AuthMethod.TOTP)).toBe(true);
  });

  it('lets a TOTP route verify only while no SMS this app sent may be valid', async () => {
    const subject = records();
    expect(await subject.countsAs(route(AuthMethod.TOTP))).toEqual({ method: AuthMethod.TOTP });
    await subject.sent(user, AuthMethod.SMS, AuthMethod.SMS);
    now = 100_000;
    expect(await subject.countsAs(route(AuthMethod.TOTP))).toEqual({ pendingMs: 200_000 });
    expect(await subject.countsAs(route(AuthMethod.SMS))).toEqual({ method: AuthMethod.SMS });
    now = 300_000;
    expect(await subject.countsAs(route(AuthMethod.TOTP))).toEqual({ method: AuthMethod.TOTP });
  });

  it("accepts a TOTP route's own SMS fallback as SMS, unless the route refuses it", async () => {
    const subject = records();
    await subject.sent(user, AuthMethod.TOTP, AuthMethod.SMS);
    expect(await subject.countsAs(route(AuthMethod.TOTP))).toEqual({ method: AuthMethod.SMS });
    expect(await subject.countsAs(route(AuthMethod.TOTP, 'refuse'))).toEqual({
      pendingMs: 300_000,
    });
    await subject.mayHaveSentSms(user);
    expect(await subject.countsAs(route(AuthMethod.TOTP))).toEqual({ pendingMs: 300_000 });
  });

  it('ends cooldowns, and with a spent code the pending SMS', async () => {
    const subject = records();
    await subject.sent(user, AuthMethod.SMS, AuthMethod.SMS);
    await subject.endCodes(user, false);
    expect(await subject.claimCooldown(user, AuthMethod.SMS)).toBe(true);
    expect(await subject.countsAs(route(AuthMethod.TOTP))).toHaveProperty('pendingMs');
    await subject.endCodes(user, true);
    expect(await subject.countsAs(route(AuthMethod.TOTP))).toEqual({ method: AuthMethod.TOTP });
  });

  it('remembers a success for its method and those it outranks, per session', async () => {
    const subject = records();
    const remembered = (method: AuthMethod, session: string) =>
      subject.isRemembered({ ...user, method, maxAge: 60_000, recoveryCodes: false }, session);
    await subject.remember(user, AuthMethod.SMS, 's-1', 60_000);
    expect(await remembered(AuthMethod.SMS, 's-1')).toBe(true);
    expect(await remembered(AuthMethod.TOTP, 's-1')).toBe(false);
    expect(await remembered(AuthMethod.SMS, 's-2')).toBe(false);
    await subject.remember(user, AuthMethod.TOTP, 's-2', 60_000);
    expect(await remembered(AuthMethod.TOTP, 's-2')).toBe(true);
    expect(await remembered(AuthMethod.SMS, 's-2')).toBe(true);
    now = 60_000;
    expect(await remembered(AuthMethod.SMS, 's-2')).toBe(false);
  });

  it('lets a success a recovery code made pass only routes that take recovery codes', async () => {
    const subject = records();
    const route = { ...user, method: AuthMethod.SMS, maxAge: 60_000 };
    await subject.remember(user, AuthMethod.TOTP, 's-1', 60_000, 'recoveryCode');
    expect(await subject.isRemembered({ ...route, recoveryCodes: true }, 's-1')).toBe(true);
    expect(await subject.isRemembered({ ...route, recoveryCodes: false }, 's-1')).toBe(false);
    await subject.remember(user, AuthMethod.SMS, 's-1', 60_000);
    expect(await subject.isRemembered({ ...route, recoveryCodes: false }, 's-1')).toBe(true);
  });
});
