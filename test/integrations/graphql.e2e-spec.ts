import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { INestApplication, Module } from '@nestjs/common';
import { Args, Field, GraphQLModule, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { RequireTwoFactor, UsersService } from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { SERVICE_ID, testVerigatorModule } from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

const USER_ID = 'user-graphql';

@ObjectType()
class User {
  @Field() id!: string;
  @Field() username!: string;
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
        twoFactor: { userId: (request) => request.headers?.['x-user'] as string | undefined },
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
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe.each<Driver>(['Apollo on Express', 'Mercurius on Fastify'])('GraphQL (%s)', (driver) => {
  let sim: VerigatorSimulator;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    sim = await startSimulator({
      users: [{ id: USER_ID, username: 'alice', phoneNumber: '+3725555555' }],
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
});
