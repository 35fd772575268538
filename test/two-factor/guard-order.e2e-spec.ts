import {
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  NestInterceptor,
  Post,
  Provider,
  Type,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Observable, of, tap } from 'rxjs';
import {
  InMemoryRecoveryCodeStore,
  RequireTwoFactor,
  SkipTwoFactor,
  TwoFactorGuard,
  VerigatorModuleOptions,
} from '../../lib';
import {
  ADAPTERS,
  AdapterFactory,
  FakeLoginGuard,
  expectAnswer,
} from '../utils/create-verigator-app';
import { VALID_TOKEN, initiates, verifies } from '../utils/simulator';
import { useTestBed } from '../utils/test-bed';

/** An app's login guard: 401 without `x-user`, else sets `request.user`. */
@Injectable()
class LoginGuard extends FakeLoginGuard {
  protected override readonly required = true;
}

@Controller('method')
class MethodLevelController {
  @Post('login-above')
  @UseGuards(LoginGuard)
  @RequireTwoFactor()
  loginAbove() {
    return { done: true };
  }

  @Post('login-below')
  @RequireTwoFactor()
  @UseGuards(LoginGuard)
  loginBelow() {
    return { done: true };
  }
}

@UseGuards(LoginGuard)
@RequireTwoFactor()
@Controller('class-login-above')
class ClassLoginAboveController {
  @Post()
  act() {
    return { done: true };
  }
}

@RequireTwoFactor()
@UseGuards(LoginGuard)
@Controller('class-login-below')
class ClassLoginBelowController {
  @Post()
  act() {
    return { done: true };
  }
}

@RequireTwoFactor()
@Controller('class-2fa')
class ClassTwoFactorMethodLoginController {
  @Post()
  @UseGuards(LoginGuard)
  act() {
    return { done: true };
  }
}

@UseGuards(LoginGuard)
@Controller('mixed')
class MethodTwoFactorClassLoginController {
  @Post()
  @RequireTwoFactor()
  act() {
    return { done: true };
  }
}

/** A response cache keyed by URL alone, as a careless global cache interceptor would be. */
@Injectable()
class UrlCacheInterceptor implements NestInterceptor {
  private readonly cache = new Map<string, unknown>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const url = context.switchToHttp().getRequest<{ url: string }>().url;
    if (this.cache.has(url)) return of(this.cache.get(url));
    return next.handle().pipe(tap((body) => this.cache.set(url, body)));
  }
}

@Controller('statement')
class StatementController {
  private served = 0;

  @Get()
  @UseGuards(LoginGuard)
  @RequireTwoFactor()
  read() {
    return { statement: ++this.served };
  }
}

/** An app's own decorator bundling both, in either order. */
const Sensitive = () => applyDecorators(RequireTwoFactor(), UseGuards(LoginGuard));
const SensitiveLoginFirst = () => applyDecorators(UseGuards(LoginGuard), RequireTwoFactor());

@Controller('composed')
class ComposedController {
  @Post('two-factor-first')
  @Sensitive()
  twoFactorFirst() {
    return { done: true };
  }

  @Post('login-first')
  @SensitiveLoginFirst()
  loginFirst() {
    return { done: true };
  }
}

/** A base controller with public routes, and a protected subclass of it. */
@Controller('base')
class BaseController {
  @Post()
  @UseGuards(LoginGuard)
  act() {
    return { done: true };
  }
}

@RequireTwoFactor()
@Controller('derived')
class DerivedController extends BaseController {}

const SAFE_ROUTES = [
  ['method level, login guard above', '/method/login-above'],
  ['method level, login guard below', '/method/login-below'],
  ['class level, login guard above', '/class-login-above'],
  ['class level, login guard below', '/class-login-below'],
  ['2FA on the class, login guard on the method', '/class-2fa'],
  ['login guard on the class, 2FA on the method', '/mixed'],
  ['an applyDecorators() bundle, 2FA first', '/composed/two-factor-first'],
  ['an applyDecorators() bundle, login guard first', '/composed/login-first'],
  ['2FA on a subclass, login guard on the inherited method', '/derived'],
] as const;

describe.each(ADAPTERS)('guard order (%s)', (_name, adapter: AdapterFactory) => {
  const bed = useTestBed({ services: ['svc-tenant'] });

  /** Boots the test's app with `controllers` and app-wide `providers`; answers its agent. */
  async function boot(
    controllers: Type[],
    providers: Provider[] = [],
    options: Partial<VerigatorModuleOptions> = {},
  ) {
    await bed.boot(options, { adapter, controllers, providers });
    return () => bed.http();
  }

  describe('with @RequireTwoFactor(), whatever the decorator order', () => {
    beforeEach(() =>
      boot([
        MethodLevelController,
        ClassLoginAboveController,
        ClassLoginBelowController,
        ClassTwoFactorMethodLoginController,
        MethodTwoFactorClassLoginController,
        ComposedController,
        BaseController,
        DerivedController,
      ]),
    );

    it.each(SAFE_ROUTES)('%s: the login guard answers first', async (_what, path) => {
      const anonymous = await bed.http().post(path);
      expectAnswer(anonymous, {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Log in first',
      });
      expect(bed.sim.requests()).toHaveLength(0);

      const loggedIn = await bed.http().post(path).set('x-user', 'u-1');
      expect(loggedIn.status).toBe(401);
      expect(loggedIn.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
      expect(initiates(bed.sim)).toHaveLength(1);

      const verified = await bed
        .http()
        .post(path)
        .set('x-user', 'u-1')
        .set('x-verigator-token', VALID_TOKEN);
      expect(verified.status).toBe(201);
      expect(verifies(bed.sim)).toHaveLength(1);
    });

    it("a subclass's @RequireTwoFactor() leaves its base controller's routes as they were", async () => {
      const res = await bed.http().post('/base').set('x-user', 'u-1');
      expect(res.status).toBe(201);
      expect(bed.sim.requests()).toHaveLength(0);
    });
  });

  describe('with a global TwoFactorGuard', () => {
    @Controller('global')
    class GlobalController {
      @Post('skipped')
      @SkipTwoFactor()
      @UseGuards(LoginGuard)
      skipped() {
        return { done: true };
      }
    }

    it('steps aside for @RequireTwoFactor() routes, so their login guard answers first', async () => {
      // /method/login-above: @UseGuards(LoginGuard) above @RequireTwoFactor().
      const http = await boot(
        [MethodLevelController, GlobalController],
        [{ provide: APP_GUARD, useClass: TwoFactorGuard }],
      );
      expect((await http().post('/method/login-above')).body.message).toBe('Log in first');
      expect((await http().post('/global/skipped')).body.message).toBe('Log in first');
      const loggedIn = await http().post('/method/login-above').set('x-user', 'u-1');
      expect(loggedIn.body.code).toBe('TWO_FACTOR_REQUIRED');
      const skipped = await http().post('/global/skipped').set('x-user', 'u-1');
      expect(skipped.status).toBe(201);
      expect(initiates(bed.sim)).toHaveLength(1);
    });
  });

  it('a global interceptor cannot answer a protected route before the second factor', async () => {
    const http = await boot(
      [StatementController],
      [{ provide: APP_INTERCEPTOR, useClass: UrlCacheInterceptor }],
    );
    const first = await http()
      .get('/statement')
      .set('x-user', 'u-1')
      .set('x-verigator-token', VALID_TOKEN);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ statement: 1 });

    const otherUser = await http().get('/statement').set('x-user', 'u-2');
    expect(otherUser.status).toBe(401);
    expect(otherUser.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED' });
    const anonymous = await http().get('/statement');
    expect(anonymous.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Log in first',
    });
  });

  describe('arrangements that cannot be made safe refuse to start', () => {
    @Controller('explicit')
    class ExplicitController {
      @Post('transfer')
      @UseGuards(TwoFactorGuard, LoginGuard)
      transfer() {}
    }

    @Controller('stacked')
    class StackedController {
      @Post()
      @UseGuards(LoginGuard)
      @UseGuards(TwoFactorGuard)
      act() {}
    }

    @UseGuards(TwoFactorGuard)
    @Controller('class-guard')
    class ClassGuardController {
      @Post('item')
      @UseGuards(LoginGuard)
      act() {}
    }

    @Controller('undecorated')
    class UndecoratedController {
      @Post('action')
      @UseGuards(LoginGuard)
      act() {}
    }

    @Controller('public')
    class PublicController {
      @Post()
      open() {}
    }

    async function bootFails(
      controllers: Type[],
      providers: Provider[] = [],
      options: Partial<VerigatorModuleOptions> = {},
    ): Promise<string> {
      const error = await boot(controllers, providers, options).then(
        () => {
          throw new Error('the app started');
        },
        (failure: Error) => failure,
      );
      return error.message;
    }

    it('@UseGuards(TwoFactorGuard, LoginGuard) on a method', async () => {
      const message = await bootFails([ExplicitController]);
      expect(message).toContain('POST /explicit/transfer');
      expect(message).toContain('ExplicitController.transfer');
      expect(message).toContain('LoginGuard');
      expect(message).toContain('@RequireTwoFactor()');
      expect(bed.sim.requests()).toHaveLength(0);
    });

    it('a login guard stacked above @UseGuards(TwoFactorGuard)', async () => {
      expect(await bootFails([StackedController])).toContain('POST /stacked');
    });

    it('@UseGuards(TwoFactorGuard) on a class with a login guard on the method', async () => {
      expect(await bootFails([ClassGuardController])).toContain('POST /class-guard/item');
    });

    it('a global TwoFactorGuard with a route-level login guard on an undecorated route', async () => {
      const message = await bootFails(
        [UndecoratedController, PublicController],
        [{ provide: APP_GUARD, useClass: TwoFactorGuard }],
      );
      expect(message).toContain('POST /undecorated/action');
      expect(message).not.toContain('/public');
    });

    it('a global TwoFactorGuard registered before the global login guard', async () => {
      const message = await bootFails(
        [PublicController],
        [
          { provide: APP_GUARD, useClass: TwoFactorGuard },
          { provide: APP_GUARD, useClass: LoginGuard },
        ],
      );
      expect(message).toContain('POST /public');
    });

    it("a route a subclass adds under its base class's @RequireTwoFactor()", async () => {
      @RequireTwoFactor()
      @Controller('protected-base')
      class ProtectedBaseController {}

      @Controller('protected-derived')
      class AddsRouteController extends ProtectedBaseController {
        @Post('added')
        added() {}
      }

      const message = await bootFails([AddsRouteController]);
      expect(message).toContain('POST /protected-derived/added (AddsRouteController.added)');
      expect(message).toContain('Fix: put @RequireTwoFactor() on this controller or on the method');
    });

    it('a route that requires a second factor without a service id anywhere', async () => {
      @Controller('no-service')
      class NoServiceController {
        @Post('protected')
        @UseGuards(LoginGuard)
        @RequireTwoFactor()
        protect() {}

        @Post('own')
        @RequireTwoFactor({ serviceId: 'svc-own' })
        own() {}

        @Post('skipped')
        @SkipTwoFactor()
        skipped() {}
      }

      const message = await bootFails([NoServiceController], [], { serviceId: undefined });
      expect(message).toContain('"serviceId"');
      expect(message).toContain('POST /no-service/protected (NoServiceController.protect)');
      expect(message).not.toContain('/no-service/own');
      expect(message).not.toContain('/no-service/skipped');
      expect(message).toContain('@RequireTwoFactor({ serviceId })');
      expect(message).toContain('getServiceId()');
    });

    it('but starts when a guard resolves the service id per request, and says when it does not', async () => {
      @Injectable()
      class TenantGuard extends TwoFactorGuard {
        protected override async getServiceId(context: ExecutionContext): Promise<string> {
          return this.getRequestResponse(context).request.headers['x-tenant-service'];
        }
      }

      @Controller('tenant')
      class TenantController {
        @Post()
        @UseGuards(LoginGuard)
        @RequireTwoFactor({ guard: TenantGuard })
        act() {}
      }
      const agent = await boot([TenantController], [], { serviceId: undefined });
      const http = () => agent().post('/tenant').set('x-user', 'u-1');
      const resolved = await http().set('x-tenant-service', 'svc-tenant');
      expect(resolved.body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(initiates(bed.sim)[0].path).toContain('/svc-tenant/users/u-1/auth');

      const unresolved = await http();
      expect(unresolved.status).toBe(500);
      expect(bed.logger.text('error')).toContain(
        'TenantGuard.getServiceId() resolved no service id for TenantController.act',
      );
      expect(initiates(bed.sim)).toHaveLength(1);
    });

    it('a route that asks for recovery codes or trusted devices the module does not have', async () => {
      @Controller('opt-in')
      class OptInController {
        @Post('codes')
        @RequireTwoFactor({ recoveryCodes: true })
        codes() {}

        @Post('devices')
        @RequireTwoFactor({ trustedDevices: true })
        devices() {}

        @Post('default')
        @RequireTwoFactor()
        byDefault() {}
      }

      const message = await bootFails([OptInController]);
      expect(message).toContain('"twoFactor.recoveryCodes"');
      expect(message).toContain('POST /opt-in/codes (OptInController.codes)');
      expect(message).not.toContain('/opt-in/devices');
      expect(message).not.toContain('/opt-in/default');
      expect(message).toContain('or remove `recoveryCodes: true` from the route');

      const codesOnly = await bootFails([OptInController], [], {
        twoFactor: {
          recoveryCodes: {
            store: new InMemoryRecoveryCodeStore(),
            secrets: { v1: 'a-test-secret-of-at-least-32-characters' },
          },
        },
      });
      expect(codesOnly).toContain('"twoFactor.trustedDevices"');
      expect(codesOnly).toContain('POST /opt-in/devices (OptInController.devices)');
      expect(codesOnly).not.toContain('/opt-in/codes');
      expect(codesOnly).toContain('or remove `trustedDevices: true` from the route');
    });

    it('but starts with the global login guard registered first', async () => {
      const http = await boot(
        [PublicController],
        [
          { provide: APP_GUARD, useClass: LoginGuard },
          { provide: APP_GUARD, useClass: TwoFactorGuard },
        ],
      );
      const res = await http().post('/public').set('x-user', 'u-1');
      expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
    });
  });
});
