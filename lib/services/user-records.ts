import { Inject, Injectable } from '@nestjs/common';
import { AUTH_METHODS } from '../models/verigator.models';
import { TwoFactorStoreKeyKind, twoFactorStoreKey } from '../stores/two-factor-store-keys';
import { TwoFactorStore } from '../stores/two-factor.store';
import { TrustedDevicesService } from '../trusted-devices/trusted-devices.service';
import { RecoveryCodesService } from '../recovery-codes/recovery-codes.service';

/** Whose records: a Verigator user of a service. */
export interface UserRef {
  serviceId: string;
  userId: string;
}

/** What a user's records become when `UsersService` replaces the user (a new phone number). */
export type UserRecordsOnReplace = 'carryOver' | 'clear';

/*
 * What the library keeps of one user, and what becomes of it (`UsersService.delete` clears all):
 *
 * 1. `carryOver`: the limits that hold a security decision, the lockout (`attempts`) and the send
 *    budget (`sends`), move to the new user with the time they have left, so that a locked-out
 *    user cannot start afresh under a new number; so do the recovery codes (in their own
 *    `RecoveryCodeStore`, through `RecoveryCodesService`). With `clear` they go, as all below.
 * 2. `clear`: what describes the old number or the codes sent to it: cooldowns and the pending SMS
 *    code, remembered successes (`maxAge`), the SMS defences' country, app and verified records.
 * 3. `trustedDevices`: the devices, revoked either way (`TrustedDevicesService.revokeAll`, which
 *    alone knows the slots): a device is trusted again by one code on the new number.
 * 4. `appWide`: SMS budgets of the whole app or a number prefix; no user's.
 * Remembered successes are cleared for the default session key only: with a `sessionKey` reader,
 * or a `TwoFactorGuard.generateKey` override, the keys cannot be named here and expire by TTL.
 * A new kind of record must take a line here (the compiler insists).
 */
const FATE: Record<TwoFactorStoreKeyKind, 'carryOver' | 'clear' | 'trustedDevices' | 'appWide'> = {
  attempts: 'carryOver',
  sends: 'carryOver',
  cooldown: 'clear',
  sms: 'clear',
  success: 'clear',
  smsNumber: 'clear',
  smsApp: 'clear',
  smsVerified: 'clear',
  smsBudget: 'appWide',
  smsPrefix: 'appWide',
  smsAlarm: 'appWide',
  device: 'trustedDevices',
  deviceCount: 'trustedDevices',
};

/** The key parts after the user, for kinds kept once per method (and session key). */
const MORE_PARTS: Partial<Record<TwoFactorStoreKeyKind, string[][]>> = {
  cooldown: AUTH_METHODS.map((method) => [method]),
  success: AUTH_METHODS.map((method) => [method, '']),
};

const kindsThat = (fate: string) =>
  (Object.keys(FATE) as TwoFactorStoreKeyKind[]).filter((kind) => FATE[kind] === fate);
const CARRIED = kindsThat('carryOver');
const PER_USER = [...CARRIED, ...kindsThat('clear')];

/** The library's records of one user (see the rules above), for `UsersService`. */
@Injectable()
export class UserRecords {
  constructor(
    @Inject(TwoFactorStore) private readonly store: TwoFactorStore,
    private readonly devices: TrustedDevicesService,
    private readonly recoveryCodes: RecoveryCodesService,
  ) {}

  /** Forgets every record of `user` that can be named. */
  async clear(user: UserRef): Promise<void> {
    await Promise.all([
      ...keysOf(PER_USER, user).map((key) => this.store.delete(key)),
      this.devices.revokeAll(user.userId, user.serviceId),
      this.recoveryCodes.clear(user.userId, user.serviceId),
    ]);
  }

  /** Moves what `onReplace` keeps from the user `from` to the user `to`, then clears `from`. */
  async replace(from: UserRef, to: UserRef, onReplace: UserRecordsOnReplace): Promise<void> {
    if (onReplace === 'carryOver') {
      const targets = keysOf(CARRIED, to);
      await Promise.all([
        ...keysOf(CARRIED, from).map(async (key, i) => {
          const record = await this.store.get(key);
          if (record) await this.store.set(targets[i], record.value, record.ttlMs);
        }),
        this.recoveryCodes.move(from.userId, to.userId, from.serviceId),
      ]);
    }
    await this.clear(from);
  }
}

function keysOf(kinds: TwoFactorStoreKeyKind[], { serviceId, userId }: UserRef): string[] {
  return kinds.flatMap((kind) =>
    (MORE_PARTS[kind] ?? [[]]).map((more) => twoFactorStoreKey(kind, serviceId, userId, ...more)),
  );
}
