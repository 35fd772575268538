import { Inject, Injectable } from '@nestjs/common';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { twoFactorStoreKey } from '../stores/two-factor-store-keys';
import { TwoFactorStore } from '../stores/two-factor.store';
import { VERIGATOR_TWO_FACTOR_OPTIONS } from '../verigator.constants';
import { TrustedDevice, TrustedDeviceRecords } from './trusted-device-records';
import { ResolvedTrustedDevicesOptions } from './trusted-devices-options.interface';

/**
 * The devices users trusted ("don't ask again on this device", `twoFactor.trustedDevices`), in
 * the guard's `TwoFactorStore`: list them, revoke one, or all of a user's, e.g. on a password
 * change or "log out everywhere". Guard the routes that call it with a fresh second factor
 * (`@RequireTwoFactor({ trustedDevices: false })`), or one stolen device token lasts for good.
 * `serviceId` defaults to the module's.
 * @example
 * @RequireTwoFactor({ trustedDevices: false })
 * @Delete('account/trusted-devices')
 * revokeAll(@Req() req) { return this.devices.revokeAll(req.user.verigatorId); }
 */
@Injectable()
export class TrustedDevicesService {
  private readonly records?: TrustedDeviceRecords;

  constructor(
    @Inject(TwoFactorStore) store: TwoFactorStore,
    @Inject(VERIGATOR_TWO_FACTOR_OPTIONS)
    private readonly options: {
      serviceId?: string;
      trustedDevices?: ResolvedTrustedDevicesOptions;
    },
  ) {
    if (options.trustedDevices) {
      this.records = new TrustedDeviceRecords(store, options.trustedDevices, twoFactorStoreKey);
    }
  }

  /**
   * The user's trusted devices, oldest first: id, method, when trusted and until when.
   * Empty when `twoFactor.trustedDevices` is not configured.
   */
  async list(userId: string, serviceId?: string): Promise<TrustedDevice[]> {
    return this.records ? this.records.list(this.owner(userId, serviceId)) : [];
  }

  /** Stops trusting one device of the user; resolves to whether it was trusted. */
  async revoke(userId: string, deviceId: string, serviceId?: string): Promise<boolean> {
    return this.records ? this.records.revoke(this.owner(userId, serviceId), deviceId) : false;
  }

  /** Stops trusting every device of the user, on every instance sharing the store. */
  async revokeAll(userId: string, serviceId?: string): Promise<void> {
    await this.records?.revokeAll(this.owner(userId, serviceId));
  }

  private owner(userId: string, serviceId = this.options.serviceId) {
    if (!serviceId) {
      throw new VerigatorConfigurationError(
        'serviceId',
        'is needed by TrustedDevicesService: give it to the call or to the module',
      );
    }
    return { serviceId, userId };
  }
}
