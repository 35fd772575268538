import { createHmac, randomBytes } from 'node:crypto';
import { base32Decode, base32Encode } from './base32';

/** RFC 6238 as authenticator apps use it: HMAC-SHA-1, 30-second steps, 6 digits. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;

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
  const secret = base32Encode(randomBytes(20));
  const otpauthUrl = keyUri(issuer, label, secret);
  return { device: { secret, otpauthUrl }, enrolled: { secret, otpauthUrl } };
}

/** The code the device shows at `nowMs`. */
export function currentTotp(device: Pick<TotpDevice, 'secret'>, nowMs: number): string {
  return codeAt(base32Decode(device.secret), timeStep(nowMs));
}

/**
 * Accepts `token` if it is the code of the current step or of the step before or after, and that
 * step is later than the last accepted one; remembers the step so the code cannot be replayed.
 */
export function acceptTotp(device: TotpDevice, token: string, nowMs: number): boolean {
  if (!/^\d{6}$/.test(token)) {
    return false;
  }
  const key = base32Decode(device.secret);
  const now = timeStep(nowMs);
  for (let step = now - 1; step <= now + 1; step++) {
    if (step > (device.lastAcceptedStep ?? -1) && codeAt(key, step) === token) {
      device.lastAcceptedStep = step;
      return true;
    }
  }
  return false;
}

/** Whole seconds until the device shows its next code, 1 to 30. */
export function totpSecondsLeft(nowMs: number): number {
  return PERIOD_SECONDS - (Math.floor(nowMs / 1000) % PERIOD_SECONDS);
}

function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / PERIOD_SECONDS);
}

/** HOTP (RFC 4226): HMAC-SHA-1 of the 8-byte counter, dynamically truncated to 6 digits. */
function codeAt(key: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** The Key URI Format authenticator apps scan: `otpauth://totp/Issuer:label?secret=…&issuer=…`. */
function keyUri(issuer: string, label: string, secret: string): string {
  const name = issuer === '' ? label : `${issuer}:${label}`;
  const path = name.split(':').map(encodeURIComponent).join(':');
  const issuerParam = issuer === '' ? '' : `&issuer=${encodeURIComponent(issuer)}`;
  return `otpauth://totp/${path}?secret=${secret}${issuerParam}`;
}
