import { InMemoryTwoFactorStore } from '../../stores/in-memory-two-factor.store';
import { twoFactorStoreKey } from '../../stores/two-factor-store-keys';
import { TwoFactorLimits } from './two-factor-limits';

describe('TwoFactorLimits', () => {
  let now = 0;
  const user = { serviceId: 'svc', userId: 'u-1' };
  const other = { serviceId: 'svc', userId: 'u-2' };
  const limits = () =>
    new TwoFactorLimits(
      new InMemoryTwoFactorStore({ now: () => now }),
      { maxAttempts: 2, window: 1_000, maxSends: 1, sendWindow: 5_000 },
      twoFactorStoreKey,
    );

  beforeEach(() => {
    now = 0;
  });

  it('locks a user out past maxAttempts until the window ends, counting before verifying', async () => {
    const subject = limits();
    expect(await subject.lockedFor(user)).toBeUndefined();
    expect(await subject.countAttempt(user)).toBeUndefined();
    expect(await subject.countAttempt(user)).toBeUndefined();
    expect(await subject.lockedFor(user)).toBe(1_000);
    now = 400;
    expect(await subject.countAttempt(user)).toBe(600);
    expect(await subject.lockedFor(other)).toBeUndefined();
    now = 1_000;
    expect(await subject.lockedFor(user)).toBeUndefined();
  });

  it('gives back an attempt, and starts over after a success', async () => {
    const subject = limits();
    await subject.countAttempt(user);
    await subject.countAttempt(user);
    await subject.giveBackAttempt(user);
    expect(await subject.lockedFor(user)).toBeUndefined();
    await subject.countAttempt(user);
    await subject.resetAttempts(user);
    expect(await subject.countAttempt(user)).toBeUndefined();
  });

  it('spends the send budget, answering when it refills, and takes back a refused send', async () => {
    const subject = limits();
    expect(await subject.spendSend(user)).toBeUndefined();
    now = 1_000;
    expect(await subject.spendSend(user)).toBe(4_000);
    await subject.giveBackSend(user);
    await subject.giveBackSend(user);
    expect(await subject.spendSend(user)).toBeUndefined();
    expect(await subject.spendSend(other)).toBeUndefined();
  });
});
