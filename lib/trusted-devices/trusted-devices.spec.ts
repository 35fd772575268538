import { AuthMethod } from '../models/verigator.models';
import { InMemoryTwoFactorStore } from '../stores/in-memory-two-factor.store';
import { twoFactorStoreKey } from '../stores/two-factor-store-keys';
import { TrustedDevicesOptions } from './trusted-devices-options.interface';
import { TrustedDevices } from './trusted-devices';
import { TrustedDevicesService } from './trusted-devices.service';

const OPTIONS = {
  transport: 'header',
  lifetime: 60_000,
  maxPerUser: 10,
  cookieName: '__Host-verigator-device',
} satisfies TrustedDevicesOptions;

/** A request asking for its device to be trusted, and an answer that keeps its headers. */
function exchange(token?: string) {
  const headers: Record<string, unknown> = {};
  return {
    headers,
    request: {
      headers: {
        'x-verigator-remember-device': 'true',
        ...(token && { 'x-verigator-device-token': token }),
      },
    },
    response: { header: (name: string, value: unknown) => (headers[name] = value) },
  };
}

describe('TrustedDevices', () => {
  const check = (method: AuthMethod, trustedDevices = true) => ({
    serviceId: 'svc',
    userId: 'alice',
    method,
    trustedDevices,
  });

  it('trusts a device only where the route allows it, for the methods it outranks', async () => {
    const devices = new TrustedDevices(
      new InMemoryTwoFactorStore(),
      { trustedDevices: OPTIONS },
      twoFactorStoreKey,
    );
    const issued = exchange();
    expect(await devices.issueIfAsked(issued, check(AuthMethod.SMS, false), AuthMethod.SMS)).toBe(
      false,
    );
    expect(issued.headers).toEqual({});
    expect(await devices.issueIfAsked(issued, check(AuthMethod.SMS), AuthMethod.SMS)).toBe(true);
    const token = issued.headers['x-verigator-device-token'] as string;
    expect(await devices.trusts(exchange(token), check(AuthMethod.SMS))).toBe(true);
    expect(await devices.trusts(exchange(token), check(AuthMethod.SMS, false))).toBe(false);
    expect(await devices.trusts(exchange(token), check(AuthMethod.TOTP))).toBe(false);
    expect(await devices.trusts(exchange(), check(AuthMethod.SMS))).toBe(false);
  });

  it('does nothing, and touches no store, when the feature is off', async () => {
    const store = new InMemoryTwoFactorStore();
    const devices = new TrustedDevices(store, {}, twoFactorStoreKey);
    const asked = exchange(`0.${'A'.repeat(43)}`);
    expect(await devices.trusts(asked, check(AuthMethod.SMS))).toBe(false);
    expect(await devices.issueIfAsked(asked, check(AuthMethod.SMS), AuthMethod.SMS)).toBe(false);
    expect(asked.headers).toEqual({});
    expect(store.size).toBe(0);
  });
});

describe('TrustedDevicesService', () => {
  it("defaults to the module's service, and refuses a call without any", async () => {
    const store = new InMemoryTwoFactorStore();
    const devices = new TrustedDevices(store, { trustedDevices: OPTIONS }, twoFactorStoreKey);
    await devices.issueIfAsked(
      exchange(),
      { serviceId: 'svc', userId: 'alice', method: 'sms', trustedDevices: true },
      'sms',
    );
    const service = new TrustedDevicesService(store, { serviceId: 'svc', trustedDevices: OPTIONS });
    expect(await service.list('alice')).toHaveLength(1);
    expect(await service.list('alice', 'other')).toEqual([]);
    const unbound = new TrustedDevicesService(store, { trustedDevices: OPTIONS });
    await expect(unbound.list('alice')).rejects.toThrow('"serviceId"');
    expect(await unbound.list('alice', 'svc')).toHaveLength(1);
  });

  it('answers nothing when the feature is off', async () => {
    const service = new TrustedDevicesService(new InMemoryTwoFactorStore(), { serviceId: 'svc' });
    expect(await service.list('alice')).toEqual([]);
    expect(await service.revoke('alice', 'id')).toBe(false);
    await expect(service.revokeAll('alice')).resolves.toBeUndefined();
  });
});
