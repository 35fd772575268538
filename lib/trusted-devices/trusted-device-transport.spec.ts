import { DeviceResponse, TrustedDeviceTransport, cookieValue } from './trusted-device-transport';

const DAY = 86_400_000;
const cookie = new TrustedDeviceTransport({
  transport: 'cookie',
  cookieName: '__Host-verigator-device',
  lifetime: 30 * DAY,
});
const header = new TrustedDeviceTransport({
  transport: 'header',
  cookieName: '__Host-verigator-device',
  lifetime: DAY,
});

/** An answer that keeps its headers as Express does (`header()` replaces). */
function answer(): DeviceResponse & { headers: Record<string, unknown> } {
  const headers: Record<string, unknown> = {};
  return {
    headers,
    header: (name, value) => (headers[name.toLowerCase()] = value),
    getHeader: (name) => headers[name.toLowerCase()],
    removeHeader: (name) => delete headers[name.toLowerCase()],
  };
}

describe('TrustedDeviceTransport', () => {
  it.each([
    ['a=1; __Host-verigator-device=tok; b=2', undefined, 'tok'],
    ['__Host-verigator-device=tok', 'same-origin', 'tok'],
    ['__Host-verigator-device=tok', 'same-site', undefined],
    ['__Host-verigator-device=tok', 'cross-site', undefined],
    ['__Host-verigator-device=tok', 'none', undefined],
    ['verigator-device=tok', undefined, undefined],
    ['x__Host-verigator-device=tok', undefined, undefined],
    [undefined, undefined, undefined],
  ])('reads the cookie of %j with Sec-Fetch-Site %j as %j', (header, site, expected) => {
    const headers = { cookie: header, 'sec-fetch-site': site };
    expect(cookie.read({ headers })).toBe(expected);
  });

  it('reads one form only', () => {
    const headers = { cookie: '__Host-verigator-device=c', 'x-verigator-device-token': 'h' };
    expect(cookie.read({ headers })).toBe('c');
    expect(header.read({ headers })).toBe('h');
  });

  it.each([
    [{ 'x-verigator-remember-device': 'true' }, undefined, true],
    [{ 'x-verigator-remember-device': ' TRUE ' }, undefined, true],
    [{ 'x-verigator-remember-device': 'yes' }, undefined, false],
    [{}, { rememberDevice: true }, true],
    [{}, { rememberDevice: 'on' }, true],
    [{}, { rememberDevice: 'true' }, true],
    [{}, { rememberDevice: 'false' }, false],
    [{}, 'rememberDevice=true', false],
    [{}, undefined, false],
  ])('with headers %j and body %j, the client asked: %s', (headers, body, asked) => {
    expect(cookie.asked({ headers, body })).toBe(asked);
  });

  it('sets a Secure, HttpOnly, SameSite=Lax host cookie, keeping the cookies set before', () => {
    const response = answer();
    response.header?.('Set-Cookie', 'session=1; Path=/');
    cookie.send(response, 'tok');
    expect(response.headers['set-cookie']).toEqual([
      'session=1; Path=/',
      `__Host-verigator-device=tok; Max-Age=${30 * 86_400}; Path=/; Secure; HttpOnly; SameSite=Lax`,
    ]);
    expect(response.headers['x-verigator-device-token']).toBeUndefined();
  });

  it('clears a cookie; the header form has nothing to clear', () => {
    const response = answer();
    cookie.clear(response);
    header.clear(response);
    expect(response.headers).toEqual({
      'set-cookie': ['__Host-verigator-device=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax'],
    });
  });

  it('hands the token in a header, and no cookie, in the header form', () => {
    const response = answer();
    header.send(response, 'tok');
    expect(response.headers).toEqual({ 'x-verigator-device-token': 'tok' });
  });

  it('parses a Cookie header as RFC 6265 says, first cookie of a name winning', () => {
    expect(cookieValue(' a = 1 ;b=2;a=3', 'a')).toBe('1');
    expect(cookieValue('a=x=y', 'a')).toBe('x=y');
    expect(cookieValue('=1; a', 'a')).toBeUndefined();
  });
});
