import { InMemoryRecoveryCodeStore } from '../../recovery-codes/in-memory-recovery-code.store';
import { RecoveryCodes } from '../../recovery-codes/recovery-codes';
import { InMemoryTwoFactorStore } from '../../stores/in-memory-two-factor.store';
import { twoFactorStoreKey } from '../../stores/two-factor-store-keys';
import { TwoFactorLimits } from './two-factor-limits';
import { TwoFactorRecovery } from './two-factor-recovery';

describe('TwoFactorRecovery', () => {
  const user = { serviceId: 'svc', userId: 'u-1' };
  const recoveryCodes = {
    store: new InMemoryRecoveryCodeStore(),
    secrets: [{ version: 'v1', secret: 'a-secret-of-at-least-32-characters!' }],
    count: 10,
  };
  let limits: TwoFactorLimits;
  let recovery: TwoFactorRecovery;
  let codes: string[];

  beforeEach(async () => {
    const store = new InMemoryTwoFactorStore();
    limits = new TwoFactorLimits(
      store,
      { maxAttempts: 3, window: 60_000, maxSends: 1, sendWindow: 60_000 },
      twoFactorStoreKey,
    );
    recovery = new TwoFactorRecovery(limits, { recoveryCodes });
    codes = await new RecoveryCodes(recoveryCodes).generate(user);
  });

  it('takes codes on every route unless the route says recoveryCodes: false', () => {
    expect(recovery.accepts({})).toBe(true);
    expect(recovery.accepts({ recoveryCodes: true })).toBe(true);
    expect(recovery.accepts({ recoveryCodes: false })).toBe(false);
  });

  it('takes none when twoFactor.recoveryCodes is not set', () => {
    const off = new TwoFactorRecovery(limits, {});
    expect(off.accepts({})).toBe(false);
    expect(off.accepts({ recoveryCodes: true })).toBe(false);
  });

  it('passes a code once; a used or wrong code is 401 TWO_FACTOR_INVALID', async () => {
    expect(await recovery.recover(user, codes[0])).toBeUndefined();
    const again = await recovery.recover(user, codes[0]);
    expect(again).toMatchObject({
      code: 'TWO_FACTOR_INVALID',
      event: { type: 'failed', outcome: 'refused', reason: 'invalidRecoveryCode' },
    });
    expect(await recovery.recover(user, 'garbage')).toEqual(again);
  });

  it('counts wrong codes toward the lockout, then refuses even a right code', async () => {
    for (let i = 0; i < 3; i++) await recovery.recover(user, 'AAAA-AAAA-AAAA-AAAA');
    const locked = await recovery.recover(user, codes[0]);
    expect(locked).toMatchObject({ code: 'TWO_FACTOR_LOCKED', event: { type: 'lockedOut' } });
    expect(locked?.retryAfterMs).toBeGreaterThan(0);
    expect(await recovery.recover(user, codes[0])).toMatchObject({ code: 'TWO_FACTOR_LOCKED' });
  });

  it('shares the lockout with wrong tokens, and a success starts the count over', async () => {
    await limits.countAttempt(user);
    await limits.countAttempt(user);
    expect(await recovery.recover(user, codes[0])).toBeUndefined();
    await limits.countAttempt(user);
    await limits.countAttempt(user);
    expect(await recovery.recover(user, codes[1])).toBeUndefined();
    await limits.countAttempt(user);
    await limits.countAttempt(user);
    await limits.countAttempt(user);
    expect(await recovery.recover(user, codes[2])).toMatchObject({ code: 'TWO_FACTOR_LOCKED' });
  });
});
