import {
  CanActivate,
  ExecutionContext,
  INestApplication,
  Injectable,
  LoggerService,
  ModuleMetadata,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { VerigatorModule } from '../../lib';

export const TEST_PASSWORD = 'api-pa55word-never-shown';
export const SERVICE_ID = 'svc-1';

/** Both HTTP adapters, for `describe.each`. */
export const ADAPTERS = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

export type AdapterFactory = (typeof ADAPTERS)[number][1];

/** Sets `request.user` from the `x-user` header, like an app's login guard would. */
@Injectable()
export class FakeLoginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const id = request.headers['x-user'];
    if (typeof id === 'string') request.user = { verigatorId: id };
    return true;
  }
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

/** Boots an app with `VerigatorModule.forRoot()` pointed at `endpoint` on the given adapter. */
export async function createTestApp(
  adapter: AdapterFactory,
  endpoint: string,
  metadata: ModuleMetadata & {
    options?: Partial<Parameters<typeof VerigatorModule.forRoot>[0]>;
    beforeInit?: (app: INestApplication) => void;
  } = {},
): Promise<{ app: INestApplication; logger: CapturingLogger }> {
  const { options, imports = [], beforeInit, ...rest } = metadata;
  const moduleRef = await Test.createTestingModule({
    imports: [
      VerigatorModule.forRoot({
        username: 'api-user',
        password: TEST_PASSWORD,
        endpoint,
        serviceId: SERVICE_ID,
        // Long enough for a cold start on a busy machine; short enough for the hanging-upstream tests.
        timeout: 1_000,
        ...options,
      }),
      ...imports,
    ],
    ...rest,
  }).compile();
  const logger = new CapturingLogger();
  const app = moduleRef.createNestApplication(adapter(), { logger });
  beforeInit?.(app);
  await app.init();
  if (app.getHttpAdapter().getType() === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  return { app, logger };
}
