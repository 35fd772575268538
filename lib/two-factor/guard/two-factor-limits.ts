import { TwoFactorStoreKeyKind } from '../../stores/two-factor-store-keys';
import { TwoFactorStore } from '../../stores/two-factor.store';
import { ResolvedTwoFactorOptions } from '../two-factor-options.interface';

/** Whose records: a Verigator user of a service. */
export interface TwoFactorUser {
  serviceId: string;
  userId: string;
}

/** Builds a store key of one kind of record from its parts (`TwoFactorGuard.generateKey`). */
export type TwoFactorKeyOf = (kind: TwoFactorStoreKeyKind, ...parts: string[]) => string;

/**
 * The per-user limits, counted atomically in the `TwoFactorStore`: verification attempts within
 * `window` (the lockout) and codes sent within `sendWindow` (the send budget). Each check answers
 * the milliseconds until the limit lifts, or `undefined` while the user is within it.
 */
export class TwoFactorLimits {
  constructor(
    private readonly store: TwoFactorStore,
    private readonly options: Pick<
      ResolvedTwoFactorOptions,
      'maxAttempts' | 'window' | 'maxSends' | 'sendWindow'
    >,
    private readonly keyOf: TwoFactorKeyOf,
  ) {}

  /** While the user has no attempt left: how long they stay locked out. */
  async lockedFor(user: TwoFactorUser): Promise<number | undefined> {
    const attempts = await this.store.get(this.key('attempts', user));
    const locked = attempts !== undefined && Number(attempts.value) >= this.options.maxAttempts;
    return locked ? attempts.ttlMs : undefined;
  }

  /** Counts an attempt before it is verified; when it is one too many, how long the lockout lasts. */
  async countAttempt(user: TwoFactorUser): Promise<number | undefined> {
    const attempts = await this.store.increment(this.key('attempts', user), this.options.window);
    return attempts.count > this.options.maxAttempts ? attempts.ttlMs : undefined;
  }

  /** Gives back an attempt that never reached Verigator or that it answered with an error. */
  giveBackAttempt(user: TwoFactorUser): Promise<void> {
    return this.store.decrement(this.key('attempts', user));
  }

  /** Starts the attempts over, after a success. */
  resetAttempts(user: TwoFactorUser): Promise<void> {
    return this.store.delete(this.key('attempts', user));
  }

  /** Spends one send of the budget; when it was spent already, how long until it refills. */
  async spendSend(user: TwoFactorUser): Promise<number | undefined> {
    const sends = await this.store.increment(this.key('sends', user), this.options.sendWindow);
    return sends.count > this.options.maxSends ? sends.ttlMs : undefined;
  }

  /** Gives back a send Verigator refused (provably nothing was sent). */
  giveBackSend(user: TwoFactorUser): Promise<void> {
    return this.store.decrement(this.key('sends', user));
  }

  private key(kind: 'attempts' | 'sends', user: TwoFactorUser): string {
    return this.keyOf(kind, user.serviceId, user.userId);
  }
}
