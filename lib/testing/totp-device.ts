import { createHmac, randomBytes } from 'node:crypto';
import { createBase32Plugin, createCryptoPlugin, generateSecret } from '@otplib/core';
import { generateSync, verifySync } from '@otplib/totp';
import { generateTOTP as generateTotpUri } from '@otplib/uri';
import { base32Decode, base32Encode } from './base32';

/**
 * otplib's TOTP engine with node:crypto and a local base32: the `otplib` wrapper's default
 * plugins are ESM-only packages, which Jest cannot load on Node < 24.9.
 */
const plugins = {
  crypto: createCryptoPlugin({
    name: 'node-crypto',
    hmac: (algorithm, key, data) => createHmac(algorithm, key).update(data).digest(),
    randomBytes: (length) => randomBytes(length),
  }),
  base32: createBase32Plugin({ name: 'rfc4648', encode: base32Encode, decode: base32Decode }),
};

const PERIOD_SECONDS = 30;

/** A user's authenticator app: RFC 6238, SHA-1, 30-second steps, 6 digits. */
export interface TotpDevice {
  /** Base32 secret shared with the app. */
  readonly secret: string;
  /** The `otpauth://` URI the device was enrolled with. */
  readonly otpauthUrl: string;
  /** The time step of the last accepted code; that step and earlier ones are refused (replay). */
  lastAcceptedStep?: number;
}

/** What enrolling a device returns: the secret and the URI an authenticator app can scan. */
export interface EnrolledDevice {
  /** Base32 secret (RFC 4648, no padding), 160 bits. */
  secret: string;
  /** `otpauth://totp/...` URI, issuer = service name, label = the user's `id_in_service`. */
  otpauthUrl: string;
}

/** Creates a device with a fresh random 160-bit secret. */
export function createTotpDevice(
  issuer: string,
  label: string,
): { device: TotpDevice; enrolled: EnrolledDevice } {
  const secret = generateSecret({ ...plugins, length: 20 });
  const otpauthUrl = generateTotpUri({ issuer, label, secret });
  return { device: { secret, otpauthUrl }, enrolled: { secret, otpauthUrl } };
}

/** The code the device shows at `nowMs`. */
export function currentTotp(device: TotpDevice, nowMs: number): string {
  return generateSync({ ...plugins, secret: device.secret, epoch: toEpochSeconds(nowMs) });
}

/**
 * Accepts `token` if it is the code of the current step or of the step before or after, and that
 * step is later than the last accepted one; remembers the step so the code cannot be replayed.
 */
export function acceptTotp(device: TotpDevice, token: string, nowMs: number): boolean {
  let result;
  try {
    result = verifySync({
      ...plugins,
      secret: device.secret,
      token,
      epoch: toEpochSeconds(nowMs),
      epochTolerance: PERIOD_SECONDS,
      afterTimeStep: device.lastAcceptedStep,
    });
  } catch {
    return false;
  }
  if (!result.valid) {
    return false;
  }
  device.lastAcceptedStep = result.timeStep;
  return true;
}

/** Whole seconds until the device shows its next code, 1 to 30. */
export function totpSecondsLeft(nowMs: number): number {
  return PERIOD_SECONDS - (toEpochSeconds(nowMs) % PERIOD_SECONDS);
}

function toEpochSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}
