import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import {
  ExecutionContext,
  ForbiddenException,
  INestApplication,
  Injectable,
  Module,
  UseGuards,
} from '@nestjs/common';
import {
  Args,
  Field,
  GraphQLModule,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  AuthMethod,
  InMemoryRecoveryCodeStore,
  RecoveryCodesService,
  RequireTwoFactor,
  TwoFactorGuard,
  UsersService,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { SERVICE_ID, testVerigatorModule } from '../utils/create-verigator-app';
import { VALID_TOKEN, startSimulator, verifies } from '../utils/simulator';

const USER_ID = 'user-graphql';
/** One each for the tests of several resolvers, so that none spends another's send budget. */
const DOCUMENT_USERS = Array.from({ length: 8 }, (_, i) => `user-document-${i}`);

@ObjectType()
class User {
  @Field() id!: string;
  @Field() username!: string;
}

/** A stricter guard class: also needs the `x-hardware-key` header. */
@Injectable()
class HardwareKeyGuard extends TwoFactorGuard {
  protected override check(context: ExecutionContext, route: object): Promise<boolean> {
    const { request } = this.getRequestResponse(context);
    if (request.headers['x-hardware-key'] !== 'yes') {
      throw new ForbiddenException('A hardware key is required');
    }
    return super.check(context, route);
  }
}

@Resolver(() => User)
class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Query(() => User)
  async user(@Args('id') id: string): Promise<User> {
    const user = await this.users.get(SERVICE_ID, id);
    return { id: user.id, username: user.username };
  }

  @RequireTwoFactor()
  @Mutation(() => String)
  transfer(@Args('amount') amount: number): string {
    return `sent ${amount}`;
  }

  @RequireTwoFactor()
  @Query(() => Int, { nullable: true })
  balance(): number {
    return 100;
  }

  /** Its hand-placed guard leaves its checks to `@RequireTwoFactor()`'s, as on a route. */
  @UseGuards(HardwareKeyGuard)
  @RequireTwoFactor()
  @Query(() => String, { nullable: true })
  vault(): string {
    return 'vault';
  }

  /** Needs the TOTP app: an SMS code does not do. */
  @RequireTwoFactor({ method: AuthMethod.TOTP })
  @Mutation(() => String, { nullable: true })
  keys(): string {
    return 'keys';
  }

  /** New recovery codes need a fresh code: a recovery code does not do. */
  @RequireTwoFactor({ recoveryCodes: false })
  @Mutation(() => String, { nullable: true })
  newCodes(): string {
    return 'new codes';
  }
}

type Driver = 'Apollo on Express' | 'Mercurius on Fastify';

async function boot(driver: Driver, sim: VerigatorSimulator): Promise<INestApplication> {
  const graphql =
    driver === 'Apollo on Express'
      ? GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true })
      : GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          autoSchemaFile: true,
          // Mercurius loads its query cache with import(), which Jest's CommonJS runtime refuses.
          cache: false,
        });
  @Module({
    imports: [
      testVerigatorModule(sim.url, {
        twoFactor: {
          userId: (request) => request.headers?.['x-user'] as string | undefined,
          recoveryCodes: {
            store: new InMemoryRecoveryCodeStore(),
            secrets: { v1: 'recovery-secret-of-at-least-32-characters' },
          },
        },
      }),
      graphql,
    ],
    providers: [UsersResolver],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app =
    driver === 'Apollo on Express'
      ? moduleRef.createNestApplication({ logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
          logger: false,
        });
  await app.listen(0, '127.0.0.1');
  return app;
}

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

describe.each<Driver>(['Apollo on Express', 'Mercurius on Fastify'])('GraphQL (%s)', (driver) => {
  let sim: VerigatorSimulator;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    sim = await startSimulator({
      users: [{ id: USER_ID, username: 'alice', phoneNumber: '+3725555555' }, ...DOCUMENT_USERS],
    });
    app = await boot(driver, sim);
    url = `${await app.getUrl()}/graphql`.replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });
  beforeEach(() => sim.reset());

  async function ask(
    query: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: GraphQLAnswer }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLAnswer };
  }

  it('a resolver answers normally', async () => {
    const { body } = await ask(`{ user(id: "${USER_ID}") { id username } }`);
    expect(body).toEqual({ data: { user: { id: USER_ID, username: 'alice' } } });
  });

  it('a VerigatorError in a resolver becomes a GraphQL error with our code and status', async () => {
    const { body } = await ask('{ user(id: "nobody") { id } }');
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      message: 'The requested resource was not found',
      extensions: { code: 'NO_SUCH_RESOURCE', statusCode: 404 },
    });
    expect(JSON.stringify(body)).not.toContain(SERVICE_ID);
  });

  it('@RequireTwoFactor() on a resolver sends a code, then lets the verified request through', async () => {
    const first = await ask('mutation { transfer(amount: 5) }', { 'x-user': USER_ID });
    expect(first.body.data).toBeNull();
    expect(first.body.errors![0]).toMatchObject({
      message: 'Enter the verification code to continue',
      extensions: { code: 'TWO_FACTOR_REQUIRED', statusCode: 401, method: 'sms' },
    });
    const code = sim.lastCode(USER_ID);
    expect(code).toMatch(/^\d+$/);

    const wrong = await ask('mutation { transfer(amount: 5) }', {
      'x-user': USER_ID,
      'x-verigator-token': code === '000000' ? '111111' : '000000',
    });
    expect(wrong.body.errors![0].extensions).toMatchObject({
      code: 'TWO_FACTOR_INVALID',
      statusCode: 401,
    });

    const verified = await ask('mutation { transfer(amount: 5) }', {
      'x-user': USER_ID,
      'x-verigator-token': code!,
    });
    expect(verified.body).toEqual({ data: { transfer: 'sent 5' } });
  });

  it('@RequireTwoFactor() on a resolver refuses an unknown user with our code', async () => {
    const { body } = await ask('mutation { transfer(amount: 5) }');
    expect(body.errors![0].extensions).toMatchObject({
      code: 'TWO_FACTOR_USER_UNKNOWN',
      statusCode: 401,
    });
    expect(sim.messages()).toHaveLength(0);
  });

  it('Verigator being down answers the resolver with our code and status', async () => {
    sim.injectFault({ path: '/**/auth', reset: true, times: 10 });
    const { body } = await ask('mutation { transfer(amount: 5) }', { 'x-user': USER_ID });
    expect(body.errors![0]).toMatchObject({
      message: 'The two-factor authentication provider could not be reached',
      extensions: { code: 'CONNECTION_ERROR', statusCode: 503 },
    });
  });

  describe('several protected resolvers in one document', () => {
    const users = [...DOCUMENT_USERS];
    let user: string;
    beforeEach(() => {
      user = users.shift()!;
    });

    /** An SMS code sent for `transfer`, not yet used. */
    async function smsCode(): Promise<string> {
      await ask('mutation { transfer(amount: 1) }', { 'x-user': user });
      const code = sim.lastCode(user);
      expect(code).toMatch(/^\d+$/);
      return code!;
    }

    it('in a mutation with the same settings verify the token once, and all of them run', async () => {
      const token = await smsCode();
      const { body } = await ask('mutation { a: transfer(amount: 5) b: transfer(amount: 6) }', {
        'x-user': user,
        'x-verigator-token': token,
      });
      expect(body).toEqual({ data: { a: 'sent 5', b: 'sent 6' } });
      expect(verifies(sim)).toHaveLength(1);
    });

    it('in a query (its fields start at once) with the same settings verify the token once', async () => {
      const token = await smsCode();
      const { body } = await ask('{ a: balance b: balance }', {
        'x-user': user,
        'x-verigator-token': token,
      });
      expect(body).toEqual({ data: { a: 100, b: 100 } });
      expect(verifies(sim)).toHaveLength(1);
    });

    it('an SMS code verified for an SMS resolver does not run a TOTP one', async () => {
      const headers = { 'x-user': user, 'x-verigator-token': await smsCode() };
      const { body } = await ask('mutation { transfer(amount: 5) keys }', headers);
      expect(body.data).toEqual({ transfer: 'sent 5', keys: null });
      expect(body.errors).toHaveLength(1);
      const [{ message, path, extensions }] = body.errors!;
      expect({ path, extensions }).toMatchObject({
        path: ['keys'],
        extensions: { code: 'TWO_FACTOR_INVALID', statusCode: 401 },
      });
      // The refusal a lone `keys` gets with that (now used) code.
      const alone = await ask('mutation { keys }', headers);
      expect(alone.body.data).toEqual({ keys: null });
      expect(alone.body.errors).toMatchObject([{ message, path, extensions }]);
    });

    it("a guard class one resolver adds decides that resolver's fields, not the others'", async () => {
      const { body } = await ask('{ vault balance }', {
        'x-user': user,
        'x-verigator-token': VALID_TOKEN,
      });
      expect(body.data).toEqual({ vault: null, balance: 100 });
      expect(body.errors).toMatchObject([
        { path: ['vault'], message: 'A hardware key is required' },
      ]);
    });

    it('a recovery code taken by one resolver does not run a recoveryCodes: false one', async () => {
      const [code] = await app.get(RecoveryCodesService).generate(user);
      const { body } = await ask('mutation { transfer(amount: 5) newCodes }', {
        'x-user': user,
        'x-verigator-recovery-code': code,
      });
      expect(body.data).toEqual({ transfer: 'sent 5', newCodes: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({
        path: ['newCodes'],
        message: 'Enter the verification code to continue',
        extensions: { code: 'TWO_FACTOR_REQUIRED', statusCode: 401, method: 'sms' },
      });
      expect(sim.messages()).toHaveLength(1);
    });
  });
});
