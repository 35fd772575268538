import { HttpModule, HttpService } from '@nestjs/axios';
import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import {
  ResolvedVerigatorOptions,
  ServicesService,
  VerigatorConfigurationError,
  VerigatorModule,
  VerigatorModuleOptions,
} from '../../lib';
import { VERIGATOR_ERROR_MESSAGES } from '../../lib/filters/verigator-error-response';
import { VERIGATOR_OPTIONS } from '../../lib/verigator.constants';
import { RecordingServer } from '../utils/recording-server';
import { TEST_PASSWORD, TEST_USERNAME } from '../utils/create-verigator-app';

const SERVICE = { id: 'svc', name: 'Shop', ctime: '2017-07-06T13:12:03.141Z' };

describe('VerigatorModule configuration', () => {
  let upstream: RecordingServer;

  beforeAll(async () => {
    upstream = await new RecordingServer().start();
    upstream.replyByDefault({ status: 200, body: SERVICE });
  });
  afterEach(() => upstream.clear());
  afterAll(() => upstream.close());

  function options(): VerigatorModuleOptions {
    return { username: TEST_USERNAME, password: TEST_PASSWORD, endpoint: upstream.url };
  }

  async function expectWorking(imports: unknown[]): Promise<void> {
    const moduleRef = await Test.createTestingModule({ imports: imports as never[] }).compile();
    const app = await moduleRef.createNestApplication().init();
    try {
      await expect(app.get(ServicesService).get('svc')).resolves.toMatchObject({ id: 'svc' });
      expect(upstream.requests[0].headers['x-service-auth']).toBe(
        `${TEST_USERNAME}:${TEST_PASSWORD}`,
      );
    } finally {
      await app.close();
    }
  }

  it('forRoot applies the defaults', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [VerigatorModule.forRoot({ username: 'u', password: 'p' })],
    }).compile();
    expect(moduleRef.get<ResolvedVerigatorOptions>(VERIGATOR_OPTIONS)).toEqual({
      username: 'u',
      password: 'p',
      endpoint: 'https://api.verigator.com',
      timeout: 5000,
      fallbackEndpoints: [],
      retries: 2,
      circuitBreaker: { threshold: 5, halfOpenAfter: 30000 },
      errorMessages: VERIGATOR_ERROR_MESSAGES,
    });
    await moduleRef.close();
  });

  it('forRoot talks to the configured endpoint', () =>
    expectWorking([VerigatorModule.forRoot(options())]));

  it('forRootAsync with useFactory and inject reads @nestjs/config', async () => {
    const config = ConfigModule.forRoot({
      ignoreEnvFile: true,
      load: [() => ({ VERIGATOR_USERNAME: TEST_USERNAME, VERIGATOR_PASSWORD: TEST_PASSWORD })],
    });
    await expectWorking([
      VerigatorModule.forRootAsync({
        imports: [config],
        inject: [ConfigService],
        useFactory: (cfg: ConfigService) => ({
          username: cfg.getOrThrow<string>('VERIGATOR_USERNAME'),
          password: cfg.getOrThrow<string>('VERIGATOR_PASSWORD'),
          endpoint: upstream.url,
        }),
      }),
    ]);
  });

  /** An options factory class, as an app writes one. */
  @Injectable()
  class VerigatorConfig {
    createVerigatorOptions(): VerigatorModuleOptions {
      return options();
    }
  }

  it('forRootAsync with useClass', () =>
    expectWorking([VerigatorModule.forRootAsync({ useClass: VerigatorConfig })]));

  it('forRootAsync with useExisting', async () => {
    @Module({ providers: [VerigatorConfig], exports: [VerigatorConfig] })
    class SharedConfigModule {}
    await expectWorking([
      VerigatorModule.forRootAsync({ imports: [SharedConfigModule], useExisting: VerigatorConfig }),
    ]);
  });

  describe('in a module that does not import it', () => {
    @Injectable()
    class Consumer {
      constructor(readonly services: ServicesService) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    const compileBeside = (verigator: DynamicModule) =>
      Test.createTestingModule({ imports: [verigator, FeatureModule] }).compile();

    it('isGlobal makes the services injectable in modules that do not import it', async () => {
      const moduleRef = await compileBeside(
        VerigatorModule.forRoot({ ...options(), isGlobal: true }),
      );
      await expect(moduleRef.get(Consumer).services.get('svc')).resolves.toMatchObject({
        id: 'svc',
      });
      await moduleRef.close();
    });

    it('without isGlobal, a module that does not import it cannot inject the services', async () => {
      await expect(compileBeside(VerigatorModule.forRoot(options()))).rejects.toThrow(
        /ServicesService/,
      );
    });
  });

  it("neither inherits nor changes the host app's HttpService", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HttpModule.register({ baseURL: 'http://127.0.0.1:1', headers: { 'X-App': 'host' } }),
        VerigatorModule.forRoot(options()),
      ],
    }).compile();
    await moduleRef.get(ServicesService).get('svc');
    expect(upstream.requests[0].headers['x-app']).toBeUndefined();

    const hostHttp = moduleRef.get(HttpService);
    await firstValueFrom(hostHttp.get(`${upstream.url}/host-call`));
    expect(upstream.requests[1].headers['x-service-auth']).toBeUndefined();
    expect(upstream.requests[1].headers['x-app']).toBe('host');
    await moduleRef.close();
  });

  it.each([
    [{ username: '' }, 'username'],
    [{ username: undefined }, 'username'],
    [{ password: '' }, 'password'],
    [{ password: '   ' }, 'password'],
    [{ endpoint: 'ftp://verigator.example' }, 'endpoint'],
    [{ endpoint: 'not a url' }, 'endpoint'],
    [{ endpoint: `http://user:${TEST_PASSWORD}@127.0.0.1` }, 'endpoint'],
    [{ timeout: 0 }, 'timeout'],
    [{ timeout: -5 }, 'timeout'],
    [{ timeout: Number.NaN }, 'timeout'],
    [{ serviceId: '' }, 'serviceId'],
    [{ onEvent: 'audit.log' }, 'onEvent'],
    [{ fallbackEndpoints: 'http://127.0.0.1:1' }, 'fallbackEndpoints'],
    [{ fallbackEndpoints: ['http://127.0.0.1:1', 'ftp://x'] }, 'fallbackEndpoints[1]'],
    [{ fallbackEndpoints: [`http://user:${TEST_PASSWORD}@127.0.0.1`] }, 'fallbackEndpoints[0]'],
    [{ retries: -1 }, 'retries'],
    [{ retries: 1.5 }, 'retries'],
    [{ retries: 11 }, 'retries'],
    [{ circuitBreaker: true }, 'circuitBreaker'],
    [{ circuitBreaker: { threshold: 0 } }, 'circuitBreaker.threshold'],
    [{ circuitBreaker: { halfOpenAfter: -1 } }, 'circuitBreaker.halfOpenAfter'],
    [{ circuitBreaker: { treshold: 3 } }, 'circuitBreaker.treshold'],
    [{ fallbackEndpoints: ['https://api.verigator.com?x=1'] }, 'fallbackEndpoints[0]'],
    [{ password: `${TEST_PASSWORD}\r\nX-Injected: 1` }, 'password'],
    [{ password: `${TEST_PASSWORD}\n` }, 'password'],
    [{ password: `${TEST_PASSWORD}€` }, 'password'],
    [{ password: ` ${TEST_PASSWORD}` }, 'password'],
    [{ password: `${TEST_PASSWORD} ` }, 'password'],
    [{ username: 'api\nuser' }, 'username'],
    [{ username: 'api:user' }, 'username'],
    [{ endpoint: 'https://api.verigator.com?x=1' }, 'endpoint'],
    [{ endpoint: 'https://api.verigator.com/#frag' }, 'endpoint'],
    [{ endpoint: 'https://api.verigator.com/?' }, 'endpoint'],
    [{ timeout: '' }, 'timeout'],
    [{ timeout: 'soon' }, 'timeout'],
    [{ endpont: 'http://127.0.0.1:1' }, 'endpont'],
    [{ twoFactor: { maxAtempts: 3 } }, 'twoFactor.maxAtempts'],
    [{ errorMessages: { NOT_A_CODE: 'x' } }, 'errorMessages.NOT_A_CODE'],
  ])(
    'bad options %p fail bootstrap naming "%s", never printing the password',
    async (bad, name) => {
      const error = await Test.createTestingModule({
        imports: [VerigatorModule.forRoot({ ...options(), ...bad } as VerigatorModuleOptions)],
      })
        .compile()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VerigatorConfigurationError);
      expect((error as VerigatorConfigurationError).option).toBe(name);
      expect((error as Error).message).toContain(`"${name}"`);
      expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(TEST_PASSWORD);
      expect(upstream.requests).toHaveLength(0);
    },
  );

  it('a misspelt option fails bootstrap naming the closest valid key', async () => {
    const error = await Test.createTestingModule({
      imports: [
        VerigatorModule.forRootAsync({
          useFactory: () =>
            ({ ...options(), endpont: 'http://127.0.0.1:1' }) as VerigatorModuleOptions,
        }),
      ],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerigatorConfigurationError);
    expect((error as Error).message).toBe(
      'VerigatorModule option "endpont" is not a known option; did you mean "endpoint"?',
    );
  });

  it('a timeout given as a numeric string (as ConfigService reads it) is accepted', async () => {
    const config = ConfigModule.forRoot({
      ignoreEnvFile: true,
      load: [() => ({ VERIGATOR_TIMEOUT_MS: '2500' })],
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        VerigatorModule.forRootAsync({
          imports: [config],
          inject: [ConfigService],
          useFactory: (cfg: ConfigService) => ({
            ...options(),
            timeout: cfg.getOrThrow<string>('VERIGATOR_TIMEOUT_MS'),
          }),
        }),
      ],
    }).compile();
    expect(moduleRef.get<ResolvedVerigatorOptions>(VERIGATOR_OPTIONS).timeout).toBe(2500);
    await expect(moduleRef.get(ServicesService).get('svc')).resolves.toMatchObject({ id: 'svc' });
    await moduleRef.close();
  });

  it('a forRootAsync factory with bad options fails bootstrap too', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          VerigatorModule.forRootAsync({
            useFactory: async () => ({ username: 'u', password: '', endpoint: upstream.url }),
          }),
        ],
      }).compile(),
    ).rejects.toThrow('VerigatorModule option "password" is required');
  });
});
