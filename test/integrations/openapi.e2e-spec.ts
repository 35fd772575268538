import { Body, Controller, INestApplication, Module, Post } from '@nestjs/common';
import { ApiCreatedResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  CreateServiceDto,
  CreateUserDto,
  InitiateAuthDto,
  RequireTwoFactor,
  VerifyTokenDto,
  VerigatorModule,
} from '../../lib';

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

type Schema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

describe('OpenAPI document (@nestjs/swagger)', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    @Module({
      imports: [
        VerigatorModule.forRoot({
          username: 'demo',
          password: 'demo',
          endpoint: 'http://127.0.0.1:9',
          serviceId: 'svc-openapi',
        }),
      ],
      controllers: [AccountController, AdminController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
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
});
