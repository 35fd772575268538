import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ResolvedVerigatorOptions,
  VerigatorConfigurationError,
  VerigatorModule,
  validateVerigatorEnv,
} from '../../lib';
import { VERIGATOR_OPTIONS } from '../../lib/verigator.constants';

describe('validateVerigatorEnv', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'verigator-env-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An app configured as the README shows, from a .env file with these lines. */
  async function bootFromEnvFile(lines: string[]): Promise<ResolvedVerigatorOptions> {
    const envFilePath = join(dir, `${lines.length}-${Math.random()}.env`);
    writeFileSync(envFilePath, lines.join('\n'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ envFilePath, ignoreEnvVars: true, validate: validateVerigatorEnv }),
        VerigatorModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            username: config.getOrThrow('VERIGATOR_USERNAME'),
            password: config.getOrThrow('VERIGATOR_PASSWORD'),
            endpoint: config.get('VERIGATOR_ENDPOINT'),
          }),
        }),
      ],
    }).compile();
    return moduleRef.get(VERIGATOR_OPTIONS);
  }

  it('stops the app on a misspelt VERIGATOR_* name in .env, with the name it meant', async () => {
    const booting = bootFromEnvFile([
      'VERIGATOR_USERNAME=api-user',
      'VERIGATOR_PASSWORD=secret-pa55',
      'VERIGATOR_ENDPIONT=http://127.0.0.1:9999',
    ]);
    await expect(booting).rejects.toThrow(VerigatorConfigurationError);
    await expect(booting).rejects.toThrow(
      'VerigatorModule option "VERIGATOR_ENDPIONT" is not a known environment variable; ' +
        'did you mean "VERIGATOR_ENDPOINT"?',
    );
    await expect(booting).rejects.not.toThrow(/secret-pa55|9999/);
  });

  it('lets a correct .env through unchanged', async () => {
    const options = await bootFromEnvFile([
      'VERIGATOR_USERNAME=api-user',
      'VERIGATOR_PASSWORD=secret-pa55',
      'VERIGATOR_ENDPOINT=http://127.0.0.1:9999',
      'DATABASE_URL=postgres://db',
    ]);
    expect(options).toMatchObject({ username: 'api-user', endpoint: 'http://127.0.0.1:9999' });
  });

  it.each([
    ['VERIGATOR_USER', 'VERIGATOR_USERNAME'],
    ['VERIGATOR_PASS', 'VERIGATOR_PASSWORD'],
    ['VERIGATOR_SERVICEID', 'VERIGATOR_SERVICE_ID'],
    ['VERIGATOR_TIMEOUT', 'VERIGATOR_TIMEOUT_MS'],
    ['verigator_endpoint', 'VERIGATOR_ENDPOINT'],
  ])('names %s and suggests %s', (name, meant) => {
    expect(() => validateVerigatorEnv({ [name]: 'x' })).toThrow(
      `"${name}" is not a known environment variable; did you mean "${meant}"?`,
    );
  });

  it('lists the known names when nothing is close', () => {
    expect(() => validateVerigatorEnv({ VERIGATOR_SMS_SENDER_NAME: 'x' })).toThrow(
      '"VERIGATOR_SMS_SENDER_NAME" is not a known environment variable (known: VERIGATOR_USERNAME, ' +
        'VERIGATOR_PASSWORD, VERIGATOR_SERVICE_ID, VERIGATOR_ENDPOINT, VERIGATOR_TIMEOUT_MS)',
    );
  });

  it('returns the same object, for chaining with an app’s own validate', () => {
    const env = { VERIGATOR_USERNAME: 'u', PATH: '/bin' };
    expect(validateVerigatorEnv(env)).toBe(env);
  });
});
