import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AUTH_METHODS, AuthMethod } from '../models/verigator.models';
import { TwoFactorStoreKeyKind } from '../stores/two-factor-store-keys';
import { TwoFactorStore } from '../stores/two-factor.store';
import { ResolvedTrustedDevicesOptions } from './trusted-devices-options.interface';

/*
 * How trusted devices are kept, on the `TwoFactorStore` primitives (so every store, custom ones
 * included, holds them, and every key carries the user's `{service:user}` hash tag):
 * 1. A user has `maxPerUser` slots, `device:{svc:user}:<slot>`, each holding at most one device
 *    for `lifetime`: its id, the SHA-256 of its token, the method verified and when. Never the
 *    token itself.
 * 2. Trusting a device takes the next slot: an `increment` of `deviceCount:{svc:user}`, modulo
 *    `maxPerUser`. Past the cap the oldest device's slot is taken over, so it is dropped; two
 *    concurrent trusts get distinct slots. The counter lives `lifetime` from the first trust of
 *    its window, then starts over at slot 0 (a device may then go before the oldest: never later).
 * 3. The token is `<slot>.<256 random bits, base64url>`: checking one is a single `get` of its
 *    slot and a comparison of hashes. A token of another user, an unknown, expired, revoked or
 *    malformed one finds no device.
 * 4. A device passes only while its slot holds its hash and the slot is below `maxPerUser` (a
 *    lowered cap drops the devices above it). Revoking one deletes its slot; revoking all deletes
 *    every slot and the counter: one atomic step per key, no clock shared between instances.
 */

/** One trusted device of a user, as `TrustedDevicesService.list()` shows it. */
export interface TrustedDevice {
  /** The device's id, for `TrustedDevicesService.revoke()` (not its token). */
  id: string;
  /** The method of the verification that trusted it; a `totp` device passes `sms` routes too. */
  method: AuthMethod;
  /** When it was trusted, in epoch milliseconds. */
  issuedAt: number;
  /** When it stops passing, in epoch milliseconds. */
  expiresAt: number;
}

/** Whose devices: a Verigator user of a service. */
export interface TrustedDeviceOwner {
  serviceId: string;
  userId: string;
}

/** The store key of a kind of record of the owner, as the guard builds it. */
export type TrustedDeviceKeyOf = (kind: TwoFactorStoreKeyKind, ...parts: string[]) => string;

interface StoredDevice {
  id: string;
  hash: string;
  method: AuthMethod;
  issuedAt: number;
}

const TOKEN = /^(0|[1-9]\d{0,2})\.([A-Za-z0-9_-]{43})$/;

/** The trusted devices of users in the `TwoFactorStore` (rules above). */
export class TrustedDeviceRecords {
  constructor(
    private readonly store: TwoFactorStore,
    private readonly options: Pick<ResolvedTrustedDevicesOptions, 'lifetime' | 'maxPerUser'>,
    private readonly keyOf: TrustedDeviceKeyOf,
  ) {}

  /** Trusts a new device of `owner` after a verification by `method`; resolves to its token. */
  async issue(owner: TrustedDeviceOwner, method: AuthMethod): Promise<string> {
    const { count } = await this.store.increment(this.countKey(owner), this.options.lifetime);
    const slot = (count - 1) % this.options.maxPerUser;
    const secret = randomBytes(32).toString('base64url');
    const device: StoredDevice = {
      id: randomBytes(12).toString('base64url'),
      hash: hashOf(secret),
      method,
      issuedAt: Date.now(),
    };
    await this.store.set(this.slotKey(owner, slot), JSON.stringify(device), this.options.lifetime);
    return `${slot}.${secret}`;
  }

  /** The method of the device `token` trusts for `owner`, if it is one of theirs and live. */
  async find(owner: TrustedDeviceOwner, token: string): Promise<AuthMethod | undefined> {
    const match = TOKEN.exec(token);
    const slot = Number(match?.[1]);
    if (!match || slot >= this.options.maxPerUser) return undefined;
    const device = parse((await this.store.get(this.slotKey(owner, slot)))?.value);
    return device && sameHash(device.hash, hashOf(match[2])) ? device.method : undefined;
  }

  /** The live trusted devices of `owner`, oldest first. */
  async list(owner: TrustedDeviceOwner): Promise<TrustedDevice[]> {
    const now = Date.now();
    const records = await Promise.all(
      this.slots().map((slot) => this.store.get(this.slotKey(owner, slot))),
    );
    return records
      .flatMap((record) => {
        const device = parse(record?.value);
        if (!record || !device) return [];
        const { id, method, issuedAt } = device;
        return [{ id, method, issuedAt, expiresAt: now + record.ttlMs }];
      })
      .sort((a, b) => a.issuedAt - b.issuedAt);
  }

  /** Stops trusting the device `id` of `owner`; resolves to whether it was trusted. */
  async revoke(owner: TrustedDeviceOwner, id: string): Promise<boolean> {
    const records = await Promise.all(
      this.slots().map((slot) => this.store.get(this.slotKey(owner, slot))),
    );
    const slot = records.findIndex((record) => parse(record?.value)?.id === id);
    if (slot < 0) return false;
    await this.store.delete(this.slotKey(owner, slot));
    return true;
  }

  /** Stops trusting every device of `owner`. */
  async revokeAll(owner: TrustedDeviceOwner): Promise<void> {
    await Promise.all([
      ...this.slots().map((slot) => this.store.delete(this.slotKey(owner, slot))),
      this.store.delete(this.countKey(owner)),
    ]);
  }

  private slots(): number[] {
    return Array.from({ length: this.options.maxPerUser }, (_, slot) => slot);
  }

  private slotKey(owner: TrustedDeviceOwner, slot: number): string {
    return this.keyOf('device', owner.serviceId, owner.userId, String(slot));
  }

  private countKey(owner: TrustedDeviceOwner): string {
    return this.keyOf('deviceCount', owner.serviceId, owner.userId);
  }
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A stored device, or `undefined` for anything else a store may hold. */
function parse(value: string | undefined): StoredDevice | undefined {
  if (value === undefined) return undefined;
  try {
    const device = JSON.parse(value) as Partial<StoredDevice> | null;
    const ok =
      typeof device?.id === 'string' &&
      typeof device.hash === 'string' &&
      AUTH_METHODS.includes(device.method as AuthMethod) &&
      typeof device.issuedAt === 'number';
    return ok ? (device as StoredDevice) : undefined;
  } catch {
    return undefined;
  }
}
