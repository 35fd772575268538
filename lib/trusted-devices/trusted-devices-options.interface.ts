/**
 * The `twoFactor.trustedDevices` module option: "don't ask again on this device". Off when absent:
 * no device token is issued nor accepted.
 */
export interface TrustedDevicesOptions {
  /**
   * How the device token travels, one form only: `cookie` for browsers (`Secure; HttpOnly;
   * SameSite=Lax`, accepted only on requests whose `Sec-Fetch-Site` is `same-origin` or absent),
   * `header` for API clients (`X-Verigator-Device-Token`, in the answer and in later requests).
   */
  transport: 'cookie' | 'header';
  /**
   * Milliseconds a device stays trusted after the verification that trusted it.
   * @default 2592000000 (30 days)
   */
  lifetime?: number;
  /**
   * Trusted devices kept per user; trusting one more drops the oldest.
   * @default 10
   */
  maxPerUser?: number;
  /**
   * Name of the cookie (`transport: 'cookie'`). Keep the `__Host-` prefix: the browser then
   * refuses it from any other origin (no `Domain`, `Path=/`, `Secure` only).
   * @default '__Host-verigator-device'
   */
  cookieName?: string;
}

/** `TrustedDevicesOptions` after validation, with every default applied. */
export type ResolvedTrustedDevicesOptions = Required<TrustedDevicesOptions>;
