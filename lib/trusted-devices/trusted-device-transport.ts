import { ResolvedTrustedDevicesOptions } from './trusted-devices-options.interface';

/*
 * How a device token travels, in one form only (a header would hand an `HttpOnly` cookie's value
 * to page scripts):
 * 1. `cookie`: set `Secure; HttpOnly; SameSite=Lax; Path=/` with `Max-Age` = lifetime, read from
 *    the `Cookie` header only when `Sec-Fetch-Site` is `same-origin` or absent (an old browser, or
 *    not a browser), so a same-site subdomain or another site cannot ride it. A cookie that finds
 *    no device is cleared.
 * 2. `header`: `X-Verigator-Device-Token`, in the answer that trusts the device and in the
 *    requests that use it. The other form is ignored.
 * 3. The client asks for a device to be trusted with `X-Verigator-Remember-Device: true`, or with
 *    `rememberDevice` (`true`, `'true'` or `'on'`: a form's checkbox) in the parsed body.
 */

/** Header of the device token (answer and requests) in the `header` form. */
export const DEVICE_TOKEN_HEADER = 'x-verigator-device-token';
/** Header a client sends to have its device trusted. */
export const REMEMBER_DEVICE_HEADER = 'x-verigator-remember-device';
/** Field of the request body that asks for it in a form. */
export const REMEMBER_DEVICE_FIELD = 'rememberDevice';

const YES: readonly unknown[] = [true, 'true', 'on'];

/** The request as both adapters give it: Node's lowercased headers and the parsed body. */
export interface DeviceRequest {
  headers?: Record<string, unknown>;
  body?: unknown;
}

/** The methods of the answer both Express and Fastify have (a GraphQL context may lack some). */
export interface DeviceResponse {
  header?(name: string, value: string | string[]): unknown;
  getHeader?(name: string): unknown;
  removeHeader?(name: string): unknown;
}

/** Reads and writes the device token in the configured form (rules above). */
export class TrustedDeviceTransport {
  constructor(
    private readonly options: Pick<
      ResolvedTrustedDevicesOptions,
      'transport' | 'cookieName' | 'lifetime'
    >,
  ) {}

  /** The device token the request carries in the configured form, if it may be used. */
  read(request: DeviceRequest): string | undefined {
    const headers = request.headers ?? {};
    if (this.options.transport === 'header') return first(headers[DEVICE_TOKEN_HEADER]);
    const site = first(headers['sec-fetch-site']);
    if (site !== undefined && site !== 'same-origin') return undefined;
    return cookieValue(first(headers.cookie), this.options.cookieName);
  }

  /** Whether the client asked for its device to be trusted. */
  asked(request: DeviceRequest): boolean {
    const header = first(request.headers?.[REMEMBER_DEVICE_HEADER]);
    if (header?.trim().toLowerCase() === 'true') return true;
    const body = request.body;
    return (
      typeof body === 'object' &&
      body !== null &&
      YES.includes(Reflect.get(body, REMEMBER_DEVICE_FIELD))
    );
  }

  /** Hands the client its device token. */
  send(response: DeviceResponse, token: string): void {
    if (this.options.transport === 'header') {
      response.header?.(DEVICE_TOKEN_HEADER, token);
      return;
    }
    const maxAge = Math.floor(this.options.lifetime / 1000);
    addCookie(response, `${this.options.cookieName}=${token}; Max-Age=${maxAge}; ${ATTRIBUTES}`);
  }

  /** Tells the browser to drop a device cookie that finds no device (nothing in `header` form). */
  clear(response: DeviceResponse): void {
    if (this.options.transport === 'cookie') {
      addCookie(response, `${this.options.cookieName}=; Max-Age=0; ${ATTRIBUTES}`);
    }
  }
}

const ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Lax';

function first(value: unknown): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' ? text : undefined;
}

/** The value of the first cookie called `name` in a `Cookie` header (RFC 6265 §5.4). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === name) return pair.slice(equals + 1).trim();
  }
  return undefined;
}

/** Adds a `Set-Cookie` line, keeping those set before (Express would replace them). */
function addCookie(response: DeviceResponse, cookie: string): void {
  const before = response.getHeader?.('set-cookie');
  response.removeHeader?.('set-cookie');
  const lines = [before ?? []].flat().map(String);
  response.header?.('set-cookie', [...lines, cookie]);
}
