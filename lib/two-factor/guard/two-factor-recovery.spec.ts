import { InMemoryRecoveryCodeStore } from '../../recovery-codes/in-memory-recovery-code.store';
import { RecoveryCodes } from '../../recovery-codes/recovery-codes';
import { InMemoryTwoFactorStore } from '../../stores/in-memory-two-factor.store';
import { twoFactorStoreKey } from '../../stores/two-factor-store-keys';
import { TwoFactorLimits } from './two-factor-limits';
import { TwoFactorRecovery } from './two-factor-recovery';
import { TwoFactorCheck, TwoFactorRequestState } from './two-factor-request-state';

describe('TwoFactorRecovery', () => {
  const check: TwoFactorCheck = {
    serviceId: 'svc',
    userId: 'u-1',
    method: 'totp' as TwoFactorCheck['method'],
    maxAge: 0,
    smsFallback: 'accept',
    trustedDevices: false,
    recoveryCodes: true,
    startedAt: 0,
  };
  const recoveryCodes = {
    store: new InMemoryRecoveryCodeStore(),
    secrets: [{ version: 'v1', secret: 'a-secret-of-at-least-32-characters!' }],
    count: 10,
  };
  let limits: TwoFactorLimits;
  let recovery: TwoFactorRecovery;
  let request: Pick<TwoFactorRequestState, 'proofs'>;
  let codes: string[];
  const recover = (code: string, on = check) => recovery.recover(limits, on, code, request);

  beforeEach(async () => {
    limits = new TwoFactorLimits(
      new InMemoryTwoFactorStore(),
      { maxAttempts: 3, window: 60_000, maxSends: 1, sendWindow: 60_000 },
      twoFactorStoreKey,
    );
    recovery = new TwoFactorRecovery({ recoveryCodes });
    request = { proofs: [] };
    codes = await new RecoveryCodes(recoveryCodes).generate(check);
  });

  it('passes a code once, recording the proof; a used or wrong code is 401 TWO_FACTOR_INVALID', async () => {
    expect(await recover(codes[0])).toBeUndefined();
    expect(request.proofs).toEqual([{ serviceId: 'svc', userId: 'u-1', method: 'totp' }]);
    const again = await recover(codes[0]);
    expect(again).toMatchObject({
      code: 'TWO_FACTOR_INVALID',
      event: { type: 'failed', outcome: 'refused', reason: 'invalidRecoveryCode' },
    });
    expect(await recover('garbage')).toEqual(again);
    expect(request.proofs).toHaveLength(1);
  });

  it('takes no code where the route or the module says no, and touches nothing', async () => {
    expect(await recover(codes[0], { ...check, recoveryCodes: false })).toMatchObject({
      code: 'TWO_FACTOR_INVALID',
    });
    const off = new TwoFactorRecovery({});
    expect(await off.recover(limits, check, codes[0], request)).toMatchObject({
      code: 'TWO_FACTOR_INVALID',
    });
    expect(await recoveryCodes.store.count(check)).toBe(10);
    expect(await limits.lockedFor(check)).toBeUndefined();
  });

  it('counts wrong codes toward the lockout, then refuses even a right code, keeping it', async () => {
    for (let i = 0; i < 3; i++) await recover('AAAA-AAAA-AAAA-AAAA');
    const locked = await recover(codes[0]);
    expect(locked).toMatchObject({ code: 'TWO_FACTOR_LOCKED', event: { type: 'lockedOut' } });
    expect(locked?.retryAfterMs).toBeGreaterThan(0);
    expect(await recoveryCodes.store.count(check)).toBe(10);
    expect(request.proofs).toEqual([]);
  });

  it('shares the lockout with wrong tokens, and a success starts the count over', async () => {
    await limits.countAttempt(check);
    await limits.countAttempt(check);
    expect(await recover(codes[0])).toBeUndefined();
    await limits.countAttempt(check);
    await limits.countAttempt(check);
    expect(await recover(codes[1])).toBeUndefined();
    for (let i = 0; i < 3; i++) await limits.countAttempt(check);
    expect(await recover(codes[2])).toMatchObject({ code: 'TWO_FACTOR_LOCKED' });
  });
});
