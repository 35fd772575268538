import { Body, Controller, Get, INestApplication, Module, Post, Type } from '@nestjs/common';
import { ApiCreatedResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  CreateServiceDto,
  CreateUserDto,
  InMemoryRecoveryCodeStore,
  InitiateAuthDto,
  RequireTwoFactor,
  SkipTwoFactor,
  VerifyTokenDto,
  VerigatorModule,
  VerigatorModuleOptions,
} from '../../lib';

type TrustedDevicesOptions = NonNullable<
  NonNullable<VerigatorModuleOptions['twoFactor']>['trustedDevices']
>;

@Controller()
class AccountController {
  @Post('users')
  createUser(@Body() body: CreateUserDto): string {
    return body.username;
  }

  // As with any @ApiResponse() on a method, swagger then lists only the declared answers.
  @ApiCreatedResponse({ description: 'Sent' })
  @RequireTwoFactor()
  @Post('transfer')
  transfer(): string {
    return 'sent';
  }
}

@RequireTwoFactor()
@Controller('admin')
class AdminController {
  @Post('wipe')
  wipe(): string {
    return 'wiped';
  }
}

/** An app of `controllers` (not initialised): Verigator is unreachable, only documents are built. */
async function appOf(
  controllers: Type[],
  twoFactor?: VerigatorModuleOptions['twoFactor'],
): Promise<INestApplication> {
  @Module({
    imports: [
      VerigatorModule.forRoot({
        username: 'demo',
        password: 'demo',
        endpoint: 'http://127.0.0.1:9',
        serviceId: 'svc-openapi',
        twoFactor,
      }),
    ],
    controllers,
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  return moduleRef.createNestApplication({ logger: false });
}

type Schema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

describe('OpenAPI document (@nestjs/swagger)', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await appOf([AccountController, AdminController]);
    await app.init();
    // A user's routes take the DTOs as bodies (as POST /users does); the others as extra models.
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build(), {
      extraModels: [VerifyTokenDto, CreateServiceDto, InitiateAuthDto],
    });
  });
  afterAll(() => app?.close());

  const schema = (name: string) => document.components!.schemas![name] as Schema;

  it('CreateUserDto carries its types, constraints and examples', () => {
    expect(schema('CreateUserDto')).toMatchObject({
      type: 'object',
      required: ['username', 'phoneNumber'],
      properties: {
        username: { type: 'string', minLength: 1, maxLength: 255, example: 'alice@example.com' },
        phoneNumber: { type: 'string', example: '+3725555555' },
      },
    });
    expect(schema('CreateUserDto').properties!.phoneNumber.description).toMatch(/country/);
  });

  it('VerifyTokenDto carries its pattern and example', () => {
    expect(schema('VerifyTokenDto')).toMatchObject({
      type: 'object',
      required: ['token'],
      properties: { token: { type: 'string', pattern: '^\\d{4,12}$', example: '123456' } },
    });
  });

  it('CreateServiceDto and InitiateAuthDto carry theirs', () => {
    expect(schema('CreateServiceDto').properties).toMatchObject({
      fqdn: { type: 'string', format: 'hostname', example: 'coffeeshop.com' },
      name: { type: 'string', minLength: 1, maxLength: 100 },
    });
    expect(schema('InitiateAuthDto').properties).toMatchObject({
      method: { type: 'string', enum: ['sms', 'totp'], example: 'sms' },
    });
  });

  it.each([
    ['CreateServiceDto', CreateServiceDto],
    ['CreateUserDto', CreateUserDto],
    ['InitiateAuthDto', InitiateAuthDto],
    ['VerifyTokenDto', VerifyTokenDto],
  ] as [string, new () => object][])("%s's documented examples pass its own rules", (name, dto) => {
    const properties = schema(name).properties!;
    const example = Object.fromEntries(
      Object.entries(properties).map(([property, { example }]) => [property, example]),
    );
    expect(validateSync(plainToInstance(dto, example))).toEqual([]);
  });

  it.each(['/transfer', '/admin/wipe'])(
    '%s under @RequireTwoFactor() documents the token header and every answer with its codes',
    (path) => {
      const operation = document.paths[path].post!;
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ name: 'X-Verigator-Token', in: 'header', required: false }),
      );
      const codes = (status: number): unknown => {
        const response = operation.responses[String(status)] as unknown as {
          content: Record<string, { schema: Schema }>;
        };
        return response.content['application/json'].schema.properties!.code.enum;
      };
      expect(codes(401)).toEqual([
        'TWO_FACTOR_USER_UNKNOWN',
        'TWO_FACTOR_REQUIRED',
        'TWO_FACTOR_INVALID',
        'TWO_FACTOR_EXPIRED',
      ]);
      expect(codes(429)).toEqual(
        expect.arrayContaining([
          'TWO_FACTOR_THROTTLED',
          'TWO_FACTOR_LOCKED',
          'TWO_FACTOR_SEND_LIMITED',
          'RATE_LIMITED',
        ]),
      );
      expect(codes(503)).toEqual(
        expect.arrayContaining(['TWO_FACTOR_UNAVAILABLE', 'CONNECTION_ERROR', 'CIRCUIT_OPEN']),
      );
      expect(codes(502)).toEqual(expect.arrayContaining(['WRONG_CREDENTIALS', 'INTERNAL_ERROR']));
      expect(codes(504)).toEqual(['REQUEST_TIMEOUT']);
      expect(operation.responses['201']).toMatchObject({
        description: path === '/transfer' ? 'Sent' : '',
      });
    },
  );

  it('a route without @RequireTwoFactor() documents no token header', () => {
    expect(document.paths['/users'].post!.parameters ?? []).toEqual([]);
    expect(document.paths['/users'].post!.responses['401']).toBeUndefined();
  });

  it('without trusted devices or recovery codes configured, a route documents neither', () => {
    expect(parameterNames(document, '/transfer')).toEqual(['header X-Verigator-Token']);
  });
});

@Controller('features')
class FeaturesController {
  @RequireTwoFactor()
  @Post('both')
  both(): string {
    return 'ok';
  }

  @RequireTwoFactor({ recoveryCodes: false })
  @Post('devices-only')
  devicesOnly(): string {
    return 'ok';
  }

  @RequireTwoFactor({ trustedDevices: false, recoveryCodes: false })
  @Post('fresh-code')
  freshCode(): string {
    return 'ok';
  }

  @Get('open')
  open(): string {
    return 'ok';
  }
}

@RequireTwoFactor({ trustedDevices: false })
@Controller('recovery-only')
class RecoveryOnlyController {
  @Post()
  act(): string {
    return 'ok';
  }

  @SkipTwoFactor()
  @Get('skipped')
  skipped(): string {
    return 'ok';
  }
}

/** `in name` of each parameter of the route's first operation, as swagger lists them. */
function parameterNames(document: OpenAPIObject, path: string): string[] {
  const item = document.paths[path];
  const operation = (item.post ?? item.get)!;
  return (operation.parameters ?? []).map((parameter) => {
    const { in: where, name } = parameter as { in: string; name: string };
    return `${where} ${name}`;
  });
}

describe.each<[string, TrustedDevicesOptions, string]>([
  [
    'cookie',
    { transport: 'cookie', cookieName: '__Host-shop-device' },
    'cookie __Host-shop-device',
  ],
  ['header', { transport: 'header' }, 'header X-Verigator-Device-Token'],
])(
  'OpenAPI document with trusted devices (%s) and recovery codes',
  (_transport, trustedDevices, deviceToken) => {
    let app: INestApplication;
    let document: OpenAPIObject;

    beforeAll(async () => {
      app = await appOf([FeaturesController, RecoveryOnlyController], {
        trustedDevices,
        recoveryCodes: {
          store: new InMemoryRecoveryCodeStore(),
          secrets: { v1: 'openapi-recovery-secret-0123456789abcdef' },
        },
      });
      // As a usual bootstrap does: the document is built before app.init() / listen().
      document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    });
    afterAll(() => app?.close());

    const token = 'header X-Verigator-Token';
    const remember = 'header X-Verigator-Remember-Device';
    const recovery = 'header X-Verigator-Recovery-Code';

    it('a route with both features documents the device token, remember-device and recovery-code', () => {
      expect(parameterNames(document, '/features/both')).toEqual([
        token,
        deviceToken,
        remember,
        recovery,
      ]);
    });

    it('each is optional and described', () => {
      const parameters = document.paths['/features/both'].post!.parameters as unknown as {
        name: string;
        required: boolean;
        description: string;
        schema: { type: string };
      }[];
      for (const parameter of parameters) {
        expect(parameter).toMatchObject({ required: false, schema: { type: 'string' } });
        expect(parameter.description).toMatch(/\w{3,}/);
      }
    });

    it('a route option turned off leaves its parameters out', () => {
      expect(parameterNames(document, '/features/devices-only')).toEqual([
        token,
        deviceToken,
        remember,
      ]);
      expect(parameterNames(document, '/features/fresh-code')).toEqual([token]);
      expect(parameterNames(document, '/recovery-only')).toEqual([token, recovery]);
    });

    it('routes without the second factor document none of them', () => {
      expect(parameterNames(document, '/features/open')).toEqual([]);
      expect(parameterNames(document, '/recovery-only/skipped')).not.toContain(recovery);
    });
  },
);
