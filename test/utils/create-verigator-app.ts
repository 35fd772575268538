import {
  CanActivate,
  Controller,
  ExecutionContext,
  INestApplication,
  Injectable,
  LoggerService,
  ModuleMetadata,
  Post,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, TestingModule } from '@nestjs/testing';
import request from 'supertest';
import {
  AuthMethod,
  AuthService,
  RequireTwoFactor,
  ServicesService,
  UsersService,
  VerigatorModule,
} from '../../lib';

/** Test credentials; the password is what leak tests search for. */
export const TEST_USERNAME = 'api-user';
export const TEST_PASSWORD = 's3cr3t-P4ssw0rd-never-shown';
/** The module's default `serviceId` in test apps; the test simulator holds it. */
export const SERVICE_ID = 'svc-1';

/** Both HTTP adapters, for `describe.each`. */
export const ADAPTERS = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

export type AdapterFactory = (typeof ADAPTERS)[number][1];

/**
 * Sets `request.user` from the `x-user` header, like an app's login guard would; a request without
 * it goes on anonymous. A subclass reads the id elsewhere (`verigatorId()`) or refuses anonymous
 * requests (`required`).
 */
@Injectable()
export class FakeLoginGuard implements CanActivate {
  /** Refuses a request without an id with 401 `Log in first`, as a real login guard does. */
  protected readonly required: boolean = false;

  /** The Verigator id the request's headers carry, if any. */
  protected verigatorId(headers: Record<string, unknown>): unknown {
    const id = headers['x-user'];
    return typeof id === 'string' ? id : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const id = this.verigatorId(request.headers);
    if (id !== undefined) request.user = { verigatorId: id };
    else if (this.required) throw new UnauthorizedException('Log in first');
    return true;
  }
}

/**
 * The protected routes most suites use, behind {@link FakeLoginGuard}; each answers
 * `{ done: true }`: `POST /account/transfer` (`@RequireTwoFactor()`), `POST /account/remembered`
 * (a success is remembered for 60 s) and `POST /account/totp` (TOTP, remembered for 60 s).
 */
@Controller('account')
@UseGuards(FakeLoginGuard)
export class AccountController {
  @RequireTwoFactor()
  @Post('transfer')
  transfer() {
    return { done: true };
  }

  @RequireTwoFactor({ maxAge: 60_000 })
  @Post('remembered')
  remembered() {
    return { done: true };
  }

  @RequireTwoFactor({ method: AuthMethod.TOTP, maxAge: 60_000 })
  @Post('totp')
  totp() {
    return { done: true };
  }
}

/** The second factor a request carries, by the guard's default headers. */
export interface SecondFactor {
  /** The code the user received (`x-verigator-token`). */
  token?: string;
  /** A trusted device's token (`x-verigator-device-token`). */
  deviceToken?: string;
}

/**
 * Sends `req` as `user` (the `x-user` header {@link FakeLoginGuard} reads) with the second factor
 * given, e.g. `asUser(http().post('/account/transfer'), 'alice', { token })`.
 */
export function asUser(req: request.Test, user: string, factor: SecondFactor = {}): request.Test {
  req.set('x-user', user);
  if (factor.token !== undefined) req.set('x-verigator-token', factor.token);
  if (factor.deviceToken !== undefined) req.set('x-verigator-device-token', factor.deviceToken);
  return req;
}

/** Expects `res` to be exactly the JSON answer `body`, with `body.statusCode` as its status. */
export function expectAnswer(
  res: request.Response,
  body: { statusCode: number } & Record<string, unknown>,
): void {
  expect(res.status).toBe(body.statusCode);
  expect(res.body).toEqual(body);
}

/** A logger that keeps every line, to search for leaks. */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];
  log = this.keep('log');
  error = this.keep('error');
  warn = this.keep('warn');
  debug = this.keep('debug');
  verbose = this.keep('verbose');
  fatal = this.keep('fatal');

  text(level?: string): string {
    return this.lines
      .filter((line) => !level || line.level === level)
      .map((line) => line.text)
      .join('\n');
  }

  private keep(level: string) {
    return (...args: unknown[]): void => {
      const show = (a: unknown) =>
        a instanceof Error ? `${a.name}: ${a.message}` : JSON.stringify(a);
      this.lines.push({ level, text: args.map(show).join(' ') });
    };
  }
}

/** What a test app holds besides `VerigatorModule`, and how it starts. */
export interface TestAppSetup extends ModuleMetadata {
  /** The HTTP adapter. @default express */
  adapter?: AdapterFactory;
  /** Runs after the app is created, before `init()`. */
  beforeInit?: (app: INestApplication) => void;
  /** Listen on 127.0.0.1 with a free port (for clients other than supertest). @default false */
  listen?: boolean;
}

/** A started Nest app holding VerigatorModule, with its three services and its log. */
export interface VerigatorTestApp {
  app: INestApplication;
  logger: CapturingLogger;
  services: ServicesService;
  users: UsersService;
  auth: AuthService;
}

/** What `VerigatorModule.forRoot()` takes (module options and `exceptionFilter`), all optional. */
export type TestModuleOptions = Partial<Parameters<typeof VerigatorModule.forRoot>[0]>;

/**
 * `VerigatorModule.forRoot()` with the test credentials, pointed at `endpoint`, with
 * `serviceId: SERVICE_ID` unless `options` say otherwise.
 */
export function testVerigatorModule(endpoint: string, options: TestModuleOptions = {}) {
  return VerigatorModule.forRoot({
    username: TEST_USERNAME,
    password: TEST_PASSWORD,
    endpoint,
    serviceId: SERVICE_ID,
    ...options,
  });
}

/** Compiles a testing module with {@link testVerigatorModule} and the `setup`'s metadata. */
export function compileVerigatorModule(
  endpoint: string,
  options: TestModuleOptions = {},
  { imports = [], controllers, providers, exports }: ModuleMetadata = {},
): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [testVerigatorModule(endpoint, options), ...imports],
    controllers,
    providers,
    exports,
  }).compile();
}

/**
 * Boots an app with {@link testVerigatorModule} (module `options`) and the `setup`'s controllers,
 * providers and imports, on the given adapter; its log is kept in a {@link CapturingLogger}.
 */
export async function createVerigatorApp(
  endpoint: string,
  options: TestModuleOptions = {},
  setup: TestAppSetup = {},
): Promise<VerigatorTestApp> {
  const { adapter, beforeInit, listen, ...metadata } = setup;
  const moduleRef = await compileVerigatorModule(endpoint, options, metadata);
  const logger = new CapturingLogger();
  const app = adapter
    ? moduleRef.createNestApplication(adapter(), { logger })
    : moduleRef.createNestApplication({ logger });
  beforeInit?.(app);
  if (listen) {
    await app.listen(0, '127.0.0.1');
  } else {
    await app.init();
  }
  if (app.getHttpAdapter().getType() === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  return {
    app,
    logger,
    services: app.get(ServicesService),
    users: app.get(UsersService),
    auth: app.get(AuthService),
  };
}
