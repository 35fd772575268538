import { InMemoryRecoveryCodeStore } from '../../recovery-codes/in-memory-recovery-code.store';
import { RecoveryCodes } from '../../recovery-codes/recovery-codes';
import { InMemoryTwoFactorStore } from '../../stores/in-memory-two-factor.store';
import { twoFactorStoreKey } from '../../stores/two-factor-store-keys';
import { TwoFactorLimits } from './two-factor-limits';
import { TwoFactorRecords } from './two-factor-records';
import { TwoFactorRecovery } from './two-factor-recovery';
import { TwoFactorCheck, TwoFactorRequestState, provenInRequest } from './two-factor-request-state';

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
  let records: TwoFactorRecords;
  let recovery: TwoFactorRecovery;
  let request: Pick<TwoFactorRequestState, 'proofs'>;
  let codes: string[];
  const recover = (code: string, on = check) => recovery.recover(on, code, request);

  beforeEach(async () => {
    const store = new InMemoryTwoFactorStore();
    limits = new TwoFactorLimits(
      store,
      { maxAttempts: 3, window: 60_000, maxSends: 1, sendWindow: 60_000 },
      twoFactorStoreKey,
    );
    records = new TwoFactorRecords(
      store,
      { cooldown: 60_000, smsCodeLifetime: 60_000 },
      twoFactorStoreKey,
    );
    recovery = new TwoFactorRecovery({ recoveryCodes }, limits, records);
    request = { proofs: [] };
    codes = await new RecoveryCodes(recoveryCodes).generate(check);
  });

  it('passes a code once, recording the proof; a used or wrong code is 401 TWO_FACTOR_INVALID', async () => {
    expect(await recover(codes[0])).toBeUndefined();
    expect(request.proofs).toEqual([
      { serviceId: 'svc', userId: 'u-1', method: 'totp', by: 'recoveryCode' },
    ]);
    const again = await recover(codes[0]);
    expect(again).toMatchObject({
      code: 'TWO_FACTOR_INVALID',
      event: { type: 'failed', outcome: 'refused', reason: 'invalidRecoveryCode' },
    });
    expect(await recover('garbage')).toEqual(again);
    expect(request.proofs).toHaveLength(1);
  });

  it("proves the route's method in this request only to checks that take recovery codes", async () => {
    expect(await recover(codes[0])).toBeUndefined();
    expect(provenInRequest(request, { ...check, method: 'sms' as TwoFactorCheck['method'] })).toBe(
      true,
    );
    expect(provenInRequest(request, { ...check, recoveryCodes: false })).toBe(false);
  });

  it("remembers a success for the session as the route's method, with maxAge only", async () => {
    const sms = { ...check, method: 'sms' as TwoFactorCheck['method'], maxAge: 60_000 };
    expect(await recovery.recover(sms, codes[0], request, 's-1')).toBeUndefined();
    expect(await records.isRemembered(sms, 's-1')).toBe(true);
    expect(await records.isRemembered(sms, 's-2')).toBe(false);
    expect(await records.isRemembered({ ...sms, method: check.method }, 's-1')).toBe(false);
    await recovery.recover({ ...sms, userId: 'u-2' }, 'AAAA-AAAA-AAAA-AAAA', request, 's-1');
    expect(await records.isRemembered({ ...sms, userId: 'u-2' }, 's-1')).toBe(false);
  });

  it('takes no code where the route or the module says no, and touches nothing', async () => {
    expect(await recover(codes[0], { ...check, recoveryCodes: false })).toMatchObject({
      code: 'TWO_FACTOR_INVALID',
    });
    const off = new TwoFactorRecovery({}, limits, records);
    expect(await off.recover(check, codes[0], request)).toMatchObject({
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
