import {
  Controller,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Post,
  Provider,
  Type,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  InMemoryRecoveryCodeStore,
  RecoveryCodesService,
  RequireTwoFactor,
  TwoFactorGuard,
} from '../../lib';
import { ADAPTERS, AdapterFactory, FakeLoginGuard } from '../utils/create-verigator-app';
import { VALID_TOKEN, initiates, verifies } from '../utils/simulator';
import { useTestBed } from '../utils/test-bed';

/** Counts its checks; adds a requirement: the `x-hardware-key` header. */
@Injectable()
class StrictGuard extends TwoFactorGuard {
  static checks = 0;

  protected override async check(context: ExecutionContext, route: object): Promise<boolean> {
    StrictGuard.checks++;
    const { request } = this.getRequestResponse(context);
    if (request.headers['x-hardware-key'] !== 'yes') {
      throw new ForbiddenException('A hardware key is required');
    }
    return super.check(context, route);
  }
}

@RequireTwoFactor()
@Controller('class-default')
class ClassDefaultMethodStrictController {
  @RequireTwoFactor({ guard: StrictGuard })
  @Post()
  act() {
    return { done: true };
  }
}

@RequireTwoFactor({ guard: StrictGuard })
@Controller('class-strict')
class ClassStrictMethodDefaultController {
  @RequireTwoFactor()
  @Post()
  act() {
    return { done: true };
  }
}

@Controller('method-use-guards')
class MethodUseGuardsStrictController {
  @UseGuards(StrictGuard)
  @Post()
  act() {
    return { done: true };
  }
}

@Controller('method-default')
class MethodDefaultController {
  @RequireTwoFactor()
  @Post()
  act() {
    return { done: true };
  }
}

describe.each(ADAPTERS)(
  'every declared guard class decides (%s)',
  (_name, adapter: AdapterFactory) => {
    const bed = useTestBed();
    beforeEach(() => {
      StrictGuard.checks = 0;
    });

    async function boot(controller: Type, globalGuard?: Type) {
      const providers: Provider[] = [{ provide: APP_GUARD, useClass: FakeLoginGuard }];
      if (globalGuard) providers.push({ provide: APP_GUARD, useClass: globalGuard });
      await bed.boot({}, { adapter, controllers: [controller], providers });
      return (path: string, headers: Record<string, string>) =>
        bed
          .http()
          .post(path)
          .set({ 'x-user': 'u-1', ...headers });
    }

    it.each([
      [
        'class @RequireTwoFactor(), method @RequireTwoFactor({ guard: StrictGuard })',
        ClassDefaultMethodStrictController,
        '/class-default',
        undefined,
      ],
      [
        'class @RequireTwoFactor({ guard: StrictGuard }), method @RequireTwoFactor()',
        ClassStrictMethodDefaultController,
        '/class-strict',
        undefined,
      ],
      [
        'global TwoFactorGuard, method @UseGuards(StrictGuard)',
        MethodUseGuardsStrictController,
        '/method-use-guards',
        TwoFactorGuard,
      ],
      [
        'global StrictGuard, method @RequireTwoFactor()',
        MethodDefaultController,
        '/method-default',
        StrictGuard,
      ],
    ] as const)(
      '%s: the stricter check runs and must pass; one verification serves both',
      async (_what, controller, path, globalGuard) => {
        const post = await boot(controller, globalGuard);
        const weak = await post(path, { 'x-verigator-token': VALID_TOKEN });
        expect(weak.status).toBe(403);
        expect(weak.body.message).toBe('A hardware key is required');
        expect(StrictGuard.checks).toBeGreaterThanOrEqual(1);

        const verifiesBefore = verifies(bed.sim).length;
        const strong = await post(path, {
          'x-verigator-token': VALID_TOKEN,
          'x-hardware-key': 'yes',
        });
        expect(strong.status).toBe(201);
        expect(strong.body).toEqual({ done: true });
        expect(verifies(bed.sim).length - verifiesBefore).toBe(1);
      },
    );
  },
);

/** A stricter guard class for sensitive routes: it takes no recovery code, whatever the route says. */
@Injectable()
class FreshCodeGuard extends TwoFactorGuard {
  protected override getRouteOptions(context: ExecutionContext) {
    const route = super.getRouteOptions(context);
    return route && { ...route, recoveryCodes: false };
  }
}

/** Behind a global `TwoFactorGuard` (which takes recovery codes) and `FreshCodeGuard`. */
@Controller('phone')
class PhoneController {
  @RequireTwoFactor({ guard: FreshCodeGuard })
  @Post()
  change() {
    return { changed: true };
  }

  @Post('plain')
  plain() {
    return { done: true };
  }
}

describe.each(ADAPTERS)(
  'a recovery code serves only the guard classes that take one (%s)',
  (_name, adapter: AdapterFactory) => {
    const bed = useTestBed();

    async function boot() {
      const recoveryCodes = {
        store: new InMemoryRecoveryCodeStore(),
        secrets: { v1: 'recovery-secret-of-at-least-32-characters' },
      };
      await bed.boot(
        { twoFactor: { recoveryCodes } },
        {
          adapter,
          controllers: [PhoneController],
          providers: [
            { provide: APP_GUARD, useClass: FakeLoginGuard },
            { provide: APP_GUARD, useClass: TwoFactorGuard },
          ],
        },
      );
      return bed.app.get(RecoveryCodesService);
    }
    const post = (path: string, user: string, headers: Record<string, string> = {}) =>
      bed
        .http()
        .post(path)
        .set({ 'x-user': user, ...headers });

    it('a recovery code passes the first but not FreshCodeGuard: a code is sent, as without one', async () => {
      const codes = await boot();
      const [code] = await codes.generate('u-1');

      const withCode = await post('/phone', 'u-1', { 'x-verigator-recovery-code': code });
      const without = await post('/phone', 'u-2');
      expect(without.body).toMatchObject({ statusCode: 401, code: 'TWO_FACTOR_REQUIRED' });
      expect([withCode.status, withCode.body]).toEqual([without.status, without.body]);
      expect(initiates(bed.sim).map((r) => r.path)).toEqual([
        expect.stringContaining('/users/u-1/'),
        expect.stringContaining('/users/u-2/'),
      ]);

      // The first guard class used the code up: it passes nowhere any more.
      expect(await codes.remaining('u-1')).toBe(9);
      const again = await post('/phone/plain', 'u-1', { 'x-verigator-recovery-code': code });
      expect([again.status, again.body.code]).toEqual([401, 'TWO_FACTOR_INVALID']);

      const verified = await post('/phone', 'u-1', { 'x-verigator-token': VALID_TOKEN });
      expect([verified.status, verified.body]).toEqual([201, { changed: true }]);
      expect(verifies(bed.sim)).toHaveLength(1);
    });
  },
);
