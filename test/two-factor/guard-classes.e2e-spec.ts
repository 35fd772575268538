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
import { RequireTwoFactor, TwoFactorGuard } from '../../lib';
import { ADAPTERS, AdapterFactory, FakeLoginGuard } from '../utils/create-verigator-app';
import { VALID_TOKEN, verifies } from '../utils/simulator';
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
