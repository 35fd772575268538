import {
  CanActivate,
  Controller,
  ExecutionContext,
  INestApplication,
  Injectable,
  Post,
  Type,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import request from 'supertest';
import { RequireTwoFactor, SkipTwoFactor, TwoFactorGuard } from '../../lib';
import { FakeVerigator, VALID_TOKEN } from './fake-verigator';
import { ADAPTERS, AdapterFactory, createTestApp } from './two-factor-app';

/** An app's login guard: 401 without `x-user`, else sets `request.user`. */
@Injectable()
class LoginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const id = req.headers['x-user'];
    if (typeof id !== 'string') throw new UnauthorizedException('Log in first');
    req.user = { verigatorId: id };
    return true;
  }
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

const SAFE_ROUTES = [
  ['method level, login guard above', '/method/login-above'],
  ['method level, login guard below', '/method/login-below'],
  ['class level, login guard above', '/class-login-above'],
  ['class level, login guard below', '/class-login-below'],
  ['2FA on the class, login guard on the method', '/class-2fa'],
  ['login guard on the class, 2FA on the method', '/mixed'],
] as const;

describe.each(ADAPTERS)('guard order (%s)', (_name, adapter: AdapterFactory) => {
  const fake = new FakeVerigator();
  let app: INestApplication | undefined;

  beforeAll(() => fake.start());
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe('with @RequireTwoFactor(), whatever the decorator order', () => {
    beforeEach(async () => {
      ({ app } = await createTestApp(adapter, fake.url, {
        controllers: [
          MethodLevelController,
          ClassLoginAboveController,
          ClassLoginBelowController,
          ClassTwoFactorMethodLoginController,
          MethodTwoFactorClassLoginController,
        ],
      }));
    });

    it.each(SAFE_ROUTES)('%s: the login guard answers first', async (_what, path) => {
      const anonymous = await request(app!.getHttpServer()).post(path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Log in first',
      });
      expect(fake.requests).toHaveLength(0);

      const loggedIn = await request(app!.getHttpServer()).post(path).set('x-user', 'u-1');
      expect(loggedIn.status).toBe(401);
      expect(loggedIn.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
      expect(fake.initiates).toHaveLength(1);

      const verified = await request(app!.getHttpServer())
        .post(path)
        .set('x-user', 'u-1')
        .set('x-verigator-token', VALID_TOKEN);
      expect(verified.status).toBe(201);
      expect(fake.verifies).toHaveLength(1);
    });
  });

  describe('with a global TwoFactorGuard', () => {
    @Controller('global')
    class GlobalController {
      @Post('decorated')
      @UseGuards(LoginGuard)
      @RequireTwoFactor()
      decorated() {
        return { done: true };
      }

      @Post('skipped')
      @SkipTwoFactor()
      @UseGuards(LoginGuard)
      skipped() {
        return { done: true };
      }
    }

    it('steps aside for @RequireTwoFactor() routes, so their login guard answers first', async () => {
      ({ app } = await createTestApp(adapter, fake.url, {
        controllers: [GlobalController],
        providers: [{ provide: APP_GUARD, useClass: TwoFactorGuard }],
      }));
      const http = () => request(app!.getHttpServer());
      expect((await http().post('/global/decorated')).body.message).toBe('Log in first');
      expect((await http().post('/global/skipped')).body.message).toBe('Log in first');
      const loggedIn = await http().post('/global/decorated').set('x-user', 'u-1');
      expect(loggedIn.body.code).toBe('TWO_FACTOR_REQUIRED');
      const skipped = await http().post('/global/skipped').set('x-user', 'u-1');
      expect(skipped.status).toBe(201);
      expect(fake.initiates).toHaveLength(1);
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
      providers: { provide: string; useClass: Type }[] = [],
    ): Promise<string> {
      const booting = createTestApp(adapter, fake.url, { controllers, providers });
      const error = await booting.then(
        (booted) => {
          app = booted.app;
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
      expect(fake.requests).toHaveLength(0);
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

    it('but starts with the global login guard registered first', async () => {
      ({ app } = await createTestApp(adapter, fake.url, {
        controllers: [PublicController],
        providers: [
          { provide: APP_GUARD, useClass: LoginGuard },
          { provide: APP_GUARD, useClass: TwoFactorGuard },
        ],
      }));
      const res = await request(app.getHttpServer()).post('/public').set('x-user', 'u-1');
      expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
    });
  });
});
