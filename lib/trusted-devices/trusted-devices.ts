import { AuthMethod, outranks } from '../models/verigator.models';
import { TwoFactorStore } from '../stores/two-factor.store';
import {
  TrustedDeviceKeyOf,
  TrustedDeviceOwner,
  TrustedDeviceRecords,
} from './trusted-device-records';
import { DeviceRequest, DeviceResponse, TrustedDeviceTransport } from './trusted-device-transport';
import { ResolvedTrustedDevicesOptions } from './trusted-devices-options.interface';

/** A check of `TwoFactorGuard`, as far as trusted devices go. */
export interface TrustedDeviceCheck extends TrustedDeviceOwner {
  /** The route's method: a `totp` route accepts only a device trusted after a TOTP code. */
  method: AuthMethod;
  /** Whether the route lets trusted devices in (and trust new ones). */
  trustedDevices: boolean;
}

/** The request and its answer, as the guard reads them. */
export interface DeviceExchange {
  request: DeviceRequest;
  response: DeviceResponse;
}

/**
 * The trusted-device steps of `TwoFactorGuard`: does the request come from a device the user
 * trusted, and trust one after a verification when the client asked. A token that finds no
 * device (unknown, expired, revoked, malformed, another user's) is ignored, never an error and
 * never an attempt toward the lockout: 256 random bits cannot be guessed, and counting would let
 * a stale or planted cookie lock a user out.
 */
export class TrustedDevices {
  private readonly records?: TrustedDeviceRecords;
  private readonly transport?: TrustedDeviceTransport;

  constructor(
    store: TwoFactorStore,
    options: { trustedDevices?: ResolvedTrustedDevicesOptions },
    keyOf: TrustedDeviceKeyOf,
  ) {
    if (!options.trustedDevices) return;
    this.records = new TrustedDeviceRecords(store, options.trustedDevices, keyOf);
    this.transport = new TrustedDeviceTransport(options.trustedDevices);
  }

  /** Whether a route with this setting lets trusted devices in: by default when configured. */
  allows(route: { trustedDevices?: boolean }): boolean {
    return this.records !== undefined && route.trustedDevices !== false;
  }

  /** True when the request comes from a device the user trusted for the route's method. */
  async trusts(exchange: DeviceExchange, check: TrustedDeviceCheck): Promise<boolean> {
    if (!check.trustedDevices || !this.records || !this.transport) return false;
    const token = this.transport.read(exchange.request);
    if (token === undefined) return false;
    const method = await this.records.find(check, token);
    if (method === undefined) this.transport.clear(exchange.response);
    return method !== undefined && outranks(method, check.method);
  }

  /**
   * After a verification counted as `method`: trusts the device if the route allows it and the
   * client asked, handing it its token. True when it did.
   */
  async issueIfAsked(
    exchange: DeviceExchange,
    check: TrustedDeviceCheck,
    method: AuthMethod,
  ): Promise<boolean> {
    if (!check.trustedDevices || !this.records || !this.transport) return false;
    if (!this.transport.asked(exchange.request)) return false;
    this.transport.send(exchange.response, await this.records.issue(check, method));
    return true;
  }
}
