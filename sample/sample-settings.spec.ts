import { readSampleSettings } from './sample-settings';

const REAL = {
  VERIGATOR_USERNAME: 'api-user',
  VERIGATOR_PASSWORD: 'secret-pa55',
  VERIGATOR_SERVICE_ID: 'svc-1',
};
/** What production needs besides Verigator. */
const SECRET = 'recovery-code-secret-of-32-characters';

describe('readSampleSettings', () => {
  it('uses the embedded simulator with no VERIGATOR_* settings outside production', () => {
    expect(readSampleSettings({})).toMatchObject({ port: 3000, production: false });
    expect(readSampleSettings({ NODE_ENV: 'development' }).verigator).toBeUndefined();
  });

  it('reads a complete real-API configuration', () => {
    const settings = readSampleSettings({ ...REAL, VERIGATOR_TIMEOUT_MS: '800', PORT: '0' });
    expect(settings).toEqual({
      port: 0,
      production: false,
      timeoutMs: 800,
      verigator: { username: 'api-user', password: 'secret-pa55', serviceId: 'svc-1' },
    });
  });

  it('refuses to run the embedded simulator in production', () => {
    expect(() => readSampleSettings({ NODE_ENV: 'production' })).toThrow(
      /In production \(NODE_ENV.*embedded Verigator simulator.*VERIGATOR_USERNAME/s,
    );
    expect(
      readSampleSettings({ ...REAL, NODE_ENV: 'production', RECOVERY_CODE_SECRET: SECRET }),
    ).toMatchObject({ production: true, recoveryCodeSecret: SECRET });
  });

  it('refuses production without RECOVERY_CODE_SECRET, naming it and never a value', () => {
    expect(() => readSampleSettings({ ...REAL, NODE_ENV: 'production' })).toThrow(
      /RECOVERY_CODE_SECRET must be set/,
    );
    expect(readSampleSettings({}).recoveryCodeSecret).toBeUndefined();
  });

  it.each(['Production', 'PRODUCTION', ' production', 'production\n', 'prod', 'staging', 'live'])(
    'treats NODE_ENV=%j as production: the embedded simulator is refused',
    (NODE_ENV) => {
      expect(() => readSampleSettings({ NODE_ENV })).toThrow(/embedded Verigator simulator/);
      const env = { ...REAL, NODE_ENV, RECOVERY_CODE_SECRET: SECRET };
      expect(readSampleSettings(env).production).toBe(true);
    },
  );

  it.each([undefined, '', 'development', 'Development', ' test ', 'TEST'])(
    'treats NODE_ENV=%j as development: the embedded simulator may start',
    (NODE_ENV) => {
      expect(readSampleSettings({ NODE_ENV })).toMatchObject({ production: false });
    },
  );

  it.each([
    ['VERIGATOR_USER', 'VERIGATOR_USERNAME'],
    ['VERIGATOR_PASS', 'VERIGATOR_PASSWORD'],
    ['VERIGATOR_SERVICEID', 'VERIGATOR_SERVICE_ID'],
    ['VERIGATOR_TIMEOUT', 'VERIGATOR_TIMEOUT_MS'],
  ])('refuses the misspelt %s, naming it and %s, in every environment', (name, meant) => {
    const message = `"${name}" is not a known environment variable; did you mean "${meant}"?`;
    for (const NODE_ENV of [undefined, 'development', 'production']) {
      expect(() => readSampleSettings({ ...REAL, NODE_ENV, [name]: 'x' })).toThrow(message);
      expect(() => readSampleSettings({ NODE_ENV, [name]: 'x' })).toThrow(message);
    }
  });

  it.each([
    [{ VERIGATOR_USERNAME: 'u' }, 'VERIGATOR_PASSWORD'],
    [{ VERIGATOR_PASSWORD: 'p', VERIGATOR_USERNAME: 'u' }, 'VERIGATOR_SERVICE_ID'],
    [{ VERIGATOR_SERVICE_ID: 's' }, 'VERIGATOR_USERNAME'],
    [{ VERIGATOR_ENDPOINT: 'https://example.com' }, 'VERIGATOR_USERNAME'],
    [{ ...REAL, VERIGATOR_PASSWORD: '' }, 'VERIGATOR_PASSWORD'],
  ])('refuses the partial configuration %j, naming %s', (env, missing) => {
    expect(() => readSampleSettings(env)).toThrow(missing);
  });

  it('never puts a value in its errors', () => {
    expect(() =>
      readSampleSettings({ VERIGATOR_PASSWORD: 'secret-pa55', VERIGATOR_PASS: 'secret-pa55' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
  });

  it.each([['abc'], ['0'], ['-5']])('refuses VERIGATOR_TIMEOUT_MS=%s', (value) => {
    expect(() => readSampleSettings({ VERIGATOR_TIMEOUT_MS: value })).toThrow(
      'VERIGATOR_TIMEOUT_MS',
    );
  });
});
