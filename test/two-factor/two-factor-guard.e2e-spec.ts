import {
  Controller,
  ExecutionContext,
  Injectable,
  Post,
  Provider,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  InMemoryTwoFactorStore,
  RequireTwoFactor,
  SkipTwoFactor,
  TwoFactorGuard,
  TwoFactorStore,
} from '../../lib';
import { TwoFactorModuleOptions } from '../../lib/two-factor/two-factor-options.interface';
import {
  ADAPTERS,
  AdapterFactory,
  FakeLoginGuard,
  SERVICE_ID,
  TEST_PASSWORD,
  asUser,
  expectAnswer,
} from '../utils/create-verigator-app';
import {
  NO_ANSWER,
  VALID_TOKEN,
  failEveryRequest,
  initiates,
  verifies,
  verifyFails,
} from '../utils/simulator';
import { useGuardBed } from '../utils/test-bed';

/** Routes besides the shared `AccountController`'s (transfer, remembered for 60 s, totp). */
@Controller('account')
class AccountExtrasController {
  @RequireTwoFactor({ serviceId: 'svc-other' })
  @Post('other-service')
  otherService() {
    return { done: true };
  }

  @UseGuards(TwoFactorGuard)
  @Post('plain')
  plain() {
    return { done: true };
  }
}

@RequireTwoFactor({ method: 'totp' })
@Controller('class')
class ClassLevelController {
  @Post('inherits')
  inherits() {
    return { done: true };
  }

  @RequireTwoFactor({ method: 'sms' })
  @Post('overrides')
  overrides() {
    return { done: true };
  }

  @SkipTwoFactor()
  @Post('skipped')
  skipped() {
    return { done: true };
  }
}

/** Reads the user from `x-account` and the code from `?code=`. */
@Injectable()
class QueryTokenGuard extends TwoFactorGuard {
  protected override async getUserId(context: ExecutionContext): Promise<string | undefined> {
    return this.getRequestResponse(context).request.headers['x-account'];
  }

  protected override async getToken(context: ExecutionContext): Promise<string | undefined> {
    return this.getRequestResponse(context).request.query.code;
  }
}

@Controller('custom')
class CustomGuardController {
  @RequireTwoFactor({ guard: QueryTokenGuard })
  @Post()
  act() {
    return { done: true };
  }
}

describe.each(ADAPTERS)('TwoFactorGuard (%s)', (_name, adapter: AdapterFactory) => {
  const bed = useGuardBed(adapter, { services: ['svc-other'] });
  const advance = (ms: number) => bed.advance(ms);

  function boot(twoFactor: TwoFactorModuleOptions = {}, extra: { global?: boolean } = {}) {
    const providers: Provider[] = [{ provide: APP_GUARD, useClass: FakeLoginGuard }];
    if (extra.global) providers.push({ provide: APP_GUARD, useClass: TwoFactorGuard });
    return bed.bootGuard(twoFactor, {
      controllers: [AccountExtrasController, ClassLevelController, CustomGuardController],
      providers: [...providers, QueryTokenGuard],
    });
  }

  describe('finding the user', () => {
    it('answers 401 TWO_FACTOR_USER_UNKNOWN without a user, calling nobody', async () => {
      const http = await boot();
      const res = await http().post('/account/transfer').set('x-verigator-token', VALID_TOKEN);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'TWO_FACTOR_USER_UNKNOWN' });
      expect(bed.sim.requests()).toHaveLength(0);
    });

    it('reads the user and the token through option functions', async () => {
      const http = await boot({
        userId: (req) => req.headers['x-account'],
        token: (req) => req.headers['x-code'],
      });
      const res = await http()
        .post('/account/transfer')
        .set('x-account', 'u-9')
        .set('x-code', VALID_TOKEN);
      expect(res.status).toBe(201);
      expect(verifies(bed.sim)[0].path).toBe(`/v1/service/service/${SERVICE_ID}/users/u-9/auth`);
    });

    it('reads them through an overriding subclass', async () => {
      const http = await boot();
      const missing = await asUser(http().post('/custom'), 'u-1');
      expect(missing.body.code).toBe('TWO_FACTOR_USER_UNKNOWN');
      const ok = await http().post(`/custom?code=${VALID_TOKEN}`).set('x-account', 'u-2');
      expect(ok.status).toBe(201);
      expect(verifies(bed.sim).map((r) => [r.path, r.body])).toEqual([
        [`/v1/service/service/${SERVICE_ID}/users/u-2/auth`, { token: VALID_TOKEN }],
      ]);
    });
  });

  describe('without token', () => {
    it('sends one code per cooldown and answers 401 TWO_FACTOR_REQUIRED with the method', async () => {
      const http = await boot();
      const first = await asUser(http().post('/account/transfer'), 'u-1');
      const second = await asUser(http().post('/account/transfer'), 'u-1');
      for (const res of [first, second]) {
        expectAnswer(res, {
          statusCode: 401,
          error: 'Unauthorized',
          code: 'TWO_FACTOR_REQUIRED',
          method: 'sms',
          message: 'Enter the verification code to continue',
        });
      }
      expect(initiates(bed.sim).map((r) => [r.path, r.body])).toEqual([
        [`/v1/service/service/${SERVICE_ID}/users/u-1/auth`, { method: 'sms' }],
      ]);
    });

    it('sends one code for concurrent requests', async () => {
      const http = await boot();
      bed.sim.injectFault({ method: 'POST', path: '/**/auth', delayMs: 100, times: 100 });
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => asUser(http().post('/account/transfer'), 'u-1')),
      );
      expect(answers.map((r) => r.body.code)).toEqual(Array(6).fill('TWO_FACTOR_REQUIRED'));
      expect(initiates(bed.sim)).toHaveLength(1);
    });

    it('keeps cooldowns per user', async () => {
      const http = await boot();
      await asUser(http().post('/account/transfer'), 'u-1');
      await asUser(http().post('/account/transfer'), 'u-2');
      expect(initiates(bed.sim)).toHaveLength(2);
    });

    it('answers the method Verigator used (TOTP falling back to SMS), also on repeats', async () => {
      const http = await boot();
      const first = await asUser(http().post('/account/totp'), 'no-app');
      const repeat = await asUser(http().post('/account/totp'), 'no-app');
      expect([first.body.method, repeat.body.method]).toEqual(['sms', 'sms']);
      bed.sim.enrolDevice(SERVICE_ID, 'has-app');
      const app = await asUser(http().post('/account/totp'), 'has-app');
      expect(app.body.method).toBe('totp');
      expect(initiates(bed.sim).map((r) => r.body.method)).toEqual(['totp', 'totp']);
    });

    it('sends a new code once the cooldown has passed', async () => {
      const http = await boot({ cooldown: 150 });
      await asUser(http().post('/account/transfer'), 'u-1');
      advance(200);
      await asUser(http().post('/account/transfer'), 'u-1');
      expect(initiates(bed.sim)).toHaveLength(2);
    });

    it('releases the cooldown when sending fails, so the next request sends again', async () => {
      const http = await boot();
      failEveryRequest(bed.sim, { status: 500, body: { message: 'boom' } });
      const failed = await asUser(http().post('/account/transfer'), 'u-1');
      expect(failed.status).toBe(502);
      bed.sim.clearFaults();
      const retried = await asUser(http().post('/account/transfer'), 'u-1');
      expect(retried.body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(initiates(bed.sim)).toHaveLength(2);
    });

    it('frees the cooldown after a success, so the next protected action sends a code', async () => {
      const http = await boot();
      await asUser(http().post('/account/transfer'), 'u-1');
      await asUser(http().post('/account/transfer'), 'u-1', { token: VALID_TOKEN });
      await asUser(http().post('/account/transfer'), 'u-1');
      expect(initiates(bed.sim)).toHaveLength(2);
    });
  });

  describe('with a token', () => {
    it('lets a verified request through and sends the token to Verigator', async () => {
      const http = await boot();
      const res = await asUser(http().post('/account/transfer'), 'u-1', { token: VALID_TOKEN });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ done: true });
      expect(verifies(bed.sim).map((r) => r.body)).toEqual([{ token: VALID_TOKEN }]);
      expect(initiates(bed.sim)).toHaveLength(0);
    });

    it.each([
      ['a wrong code', 401, 'TWO_FACTOR_INVALID', undefined],
      ['an expired code', 401, 'TWO_FACTOR_EXPIRED', verifyFails('EXPIRED')],
      ['a throttled code', 429, 'TWO_FACTOR_THROTTLED', verifyFails('THROTTLED')],
    ] as const)('answers %s with %i %s', async (_what, status, code, fault) => {
      const http = await boot();
      if (fault) bed.sim.injectFault(fault);
      const res = await asUser(http().post('/account/transfer'), 'u-1', { token: '654321' });
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(verifies(bed.sim)).toHaveLength(1);
    });

    it('answers a malformed token 401 TWO_FACTOR_INVALID without calling Verigator', async () => {
      const http = await boot();
      const res = await asUser(http().post('/account/transfer'), 'u-1', { token: 'abc' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TWO_FACTOR_INVALID');
      expect(bed.sim.requests()).toHaveLength(0);
    });

    it('locks out after maxAttempts failures: 429 with Retry-After, Verigator not called', async () => {
      const http = await boot({ maxAttempts: 3, window: 700 });
      const send = (token: string) =>
        asUser(http().post('/account/transfer'), 'u-1', { token: token });
      expect((await send('111111')).status).toBe(401);
      expect((await send('abc')).status).toBe(401);
      expect((await send('111112')).status).toBe(401);
      const locked = await send(VALID_TOKEN);
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ statusCode: 429, code: 'TWO_FACTOR_LOCKED' });
      expect(locked.headers['retry-after']).toBe('1');
      expect(verifies(bed.sim)).toHaveLength(2);
      const other = await asUser(http().post('/account/transfer'), 'u-2', { token: VALID_TOKEN });
      expect(other.status).toBe(201);
      advance(750);
      expect((await send(VALID_TOKEN)).status).toBe(201);
    });

    it('stops parallel guesses at maxAttempts', async () => {
      const http = await boot({ maxAttempts: 3 });
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          asUser(http().post('/account/transfer'), 'u-1', { token: '999999' }),
        ),
      );
      expect(answers.filter((r) => r.status === 429)).toHaveLength(5);
      expect(verifies(bed.sim)).toHaveLength(3);
    });

    it('resets the failure count on success', async () => {
      const http = await boot({ maxAttempts: 2 });
      const send = (token: string) =>
        asUser(http().post('/account/transfer'), 'u-1', { token: token });
      expect((await send('111111')).status).toBe(401);
      expect((await send(VALID_TOKEN)).status).toBe(201);
      expect((await send('111111')).status).toBe(401);
      expect((await send('111111')).status).toBe(401);
      expect((await send('111111')).status).toBe(429);
    });

    it('uses the route serviceId over the module one', async () => {
      const http = await boot();
      await asUser(http().post('/account/other-service'), 'u-1', { token: VALID_TOKEN });
      expect(verifies(bed.sim)[0].path).toBe('/v1/service/service/svc-other/users/u-1/auth');
    });

    it('uses overridden messages', async () => {
      const http = await boot({ messages: { TWO_FACTOR_INVALID: 'Nope' } });
      const res = await asUser(http().post('/account/transfer'), 'u-1', { token: '111111' });
      expect(res.body).toMatchObject({ code: 'TWO_FACTOR_INVALID', message: 'Nope' });
    });
  });

  describe('maxAge', () => {
    it('remembers a success for maxAge, then asks again', async () => {
      const http = await boot();
      const ok = await asUser(http().post('/account/remembered'), 'u-1', { token: VALID_TOKEN });
      expect(ok.status).toBe(201);
      expect((await asUser(http().post('/account/remembered'), 'u-1')).status).toBe(201);
      expect((await asUser(http().post('/account/remembered'), 'u-2')).status).toBe(401);
      expect((await asUser(http().post('/account/transfer'), 'u-1')).status).toBe(401);
      advance(60_050);
      const again = await asUser(http().post('/account/remembered'), 'u-1');
      expect(again.body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(verifies(bed.sim)).toHaveLength(1);
    });

    it('binds the remembered success to the session key', async () => {
      const http = await boot({ sessionKey: (req) => req.headers['x-session'] });
      await asUser(http().post('/account/remembered'), 'u-1')
        .set('x-session', 's-1')
        .set('x-verigator-token', VALID_TOKEN);
      const same = await asUser(http().post('/account/remembered'), 'u-1').set('x-session', 's-1');
      const other = await asUser(http().post('/account/remembered'), 'u-1').set('x-session', 's-2');
      const none = await asUser(http().post('/account/remembered'), 'u-1');
      expect([same.status, other.status, none.status]).toEqual([201, 401, 401]);
    });

    it('uses the module maxAge for routes without their own', async () => {
      const http = await boot({ maxAge: 60_000 });
      await asUser(http().post('/account/transfer'), 'u-1', { token: VALID_TOKEN });
      expect((await asUser(http().post('/account/plain'), 'u-1')).status).toBe(201);
    });
  });

  describe('metadata', () => {
    it('lets method metadata beat class metadata', async () => {
      const http = await boot();
      await asUser(http().post('/class/inherits'), 'u-1');
      await asUser(http().post('/class/overrides'), 'u-2');
      expect(initiates(bed.sim).map((r) => r.body.method)).toEqual(['totp', 'sms']);
      const skipped = await asUser(http().post('/class/skipped'), 'u-3');
      expect(skipped.status).toBe(201);
    });

    it('protects @UseGuards(TwoFactorGuard) routes with the module defaults', async () => {
      const http = await boot({ method: 'totp' });
      const res = await asUser(http().post('/account/plain'), 'u-1');
      expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(initiates(bed.sim)[0].body).toEqual({ method: 'totp' });
    });
  });

  describe('as a global APP_GUARD', () => {
    @Controller('global')
    class GlobalController {
      @Post('undecorated')
      undecorated() {
        return { done: true };
      }

      @SkipTwoFactor()
      @Post('public')
      open() {
        return { done: true };
      }

      @RequireTwoFactor({ method: 'totp' })
      @Post('decorated')
      decorated() {
        return { done: true };
      }
    }

    @SkipTwoFactor()
    @Controller('public')
    class PublicController {
      @Post()
      open() {
        return { done: true };
      }

      @RequireTwoFactor()
      @Post('sensitive')
      sensitive() {
        return { done: true };
      }
    }

    async function bootGlobal() {
      await bed.boot(
        {},
        {
          adapter,
          controllers: [GlobalController, PublicController],
          providers: [
            { provide: APP_GUARD, useClass: FakeLoginGuard },
            { provide: APP_GUARD, useClass: TwoFactorGuard },
          ],
        },
      );
      return () => bed.http();
    }

    it('protects undecorated routes and exempts @SkipTwoFactor ones', async () => {
      const http = await bootGlobal();
      const undecorated = await asUser(http().post('/global/undecorated'), 'u-1');
      expect(undecorated.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
      expect((await http().post('/global/public')).status).toBe(201);
      expect((await http().post('/public')).status).toBe(201);
      const sensitive = await asUser(http().post('/public/sensitive'), 'u-2');
      expect(sensitive.body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(initiates(bed.sim)).toHaveLength(2);
    });

    it('applies route options and verifies once despite the route guard', async () => {
      const http = await bootGlobal();
      const required = await asUser(http().post('/global/decorated'), 'u-1');
      expect(initiates(bed.sim)[0].body).toEqual({ method: 'totp' });
      expect(required.body.method).toBe('sms');
      const ok = await asUser(http().post('/global/decorated'), 'u-1', { token: VALID_TOKEN });
      expect(ok.status).toBe(201);
      expect(verifies(bed.sim)).toHaveLength(1);
    });
  });

  describe('when Verigator fails', () => {
    const cases = [
      ['unreachable', 503, 'CONNECTION_ERROR', { reset: true }],
      ['timing out', 504, 'REQUEST_TIMEOUT', NO_ANSWER],
      ['answering 503', 502, 'INTERNAL_ERROR', { status: 503, body: { message: 'boom' } }],
      ['answering 500', 502, 'INTERNAL_ERROR', { status: 500, body: { message: 'boom' } }],
      ['rejecting our credentials', 502, 'WRONG_CREDENTIALS', { status: 401, body: {} }],
    ] as const;

    it.each(cases)('fails closed when %s: %i %s', async (_what, status, code, fault) => {
      const http = await boot();
      failEveryRequest(bed.sim, fault);
      const initiate = await asUser(http().post('/account/transfer'), 'u-1');
      const verify = await asUser(http().post('/account/transfer'), 'u-1', { token: VALID_TOKEN });
      for (const res of [initiate, verify]) {
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject({ statusCode: status, code });
        expect(JSON.stringify(res.body)).not.toContain('boom');
      }
    });

    it('does not count attempts Verigator answered with an error', async () => {
      const http = await boot({ maxAttempts: 2 });
      failEveryRequest(bed.sim, { status: 500, body: {} });
      for (let i = 0; i < 4; i++) {
        const res = await asUser(http().post('/account/transfer'), 'u-1', { token: VALID_TOKEN });
        expect(res.status).toBe(502);
      }
      bed.sim.clearFaults();
      const ok = await asUser(http().post('/account/transfer'), 'u-1', { token: VALID_TOKEN });
      expect(ok.status).toBe(201);
    });

    it('passes Retry-After on when Verigator rate-limits us', async () => {
      const http = await boot();
      failEveryRequest(bed.sim, { status: 429, body: {}, headers: { 'Retry-After': '7' } });
      const res = await asUser(http().post('/account/transfer'), 'u-1');
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(res.headers['retry-after']).toBe('7');
    });

    it.each(cases.slice(0, 3))(
      'with failOpen lets the request through when %s, and warns',
      async (_what, _status, _code, fault) => {
        const http = await boot({ failOpen: true });
        failEveryRequest(bed.sim, fault);
        const initiate = await asUser(http().post('/account/transfer'), 'u-7');
        const verify = await asUser(http().post('/account/transfer'), 'u-7', { token: '987650' });
        expect([initiate.status, verify.status]).toEqual([201, 201]);
        const warnings = bed.logger.text('warn');
        expect(warnings).toContain('AccountController.transfer');
        expect(warnings).toContain('u-7');
        expect(warnings).not.toContain('987650');
      },
    );

    it('with failOpen still fails closed on a 500, a garbled answer, wrong credentials and rate limiting', async () => {
      const http = await boot({ failOpen: true });
      failEveryRequest(bed.sim, { status: 500, body: {} });
      expect((await asUser(http().post('/account/transfer'), 'u-1')).status).toBe(502);
      failEveryRequest(bed.sim, { status: 200, body: 'not json' });
      expect((await asUser(http().post('/account/transfer'), 'u-1')).status).toBe(502);
      failEveryRequest(bed.sim, { status: 401, body: {} });
      expect((await asUser(http().post('/account/transfer'), 'u-1')).status).toBe(502);
      failEveryRequest(bed.sim, { status: 429, body: {} });
      expect((await asUser(http().post('/account/transfer'), 'u-1')).status).toBe(429);
    });

    it('never shows the token nor the API password in bodies or logs', async () => {
      const token = '864209';
      const http = await boot();
      const echo = { message: `bad token ${token} for api-user:${TEST_PASSWORD}` };
      const bodies: string[] = [];
      for (const fault of [
        { status: 400, body: echo },
        { status: 500, body: echo },
        { reset: true as const },
      ]) {
        failEveryRequest(bed.sim, fault);
        const res = await asUser(http().post('/account/transfer'), 'u-1', { token: token });
        bodies.push(res.text);
      }
      bed.sim.clearFaults();
      bodies.push((await asUser(http().post('/account/transfer'), 'u-1', { token: token })).text);
      expect(bodies[0]).toContain('INVALID_DATA');
      expect(bed.logger.text()).toContain('bad token');
      for (const text of [...bodies, bed.logger.text()]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(TEST_PASSWORD);
      }
    });
  });

  describe('store', () => {
    it('uses the store given in the options', async () => {
      const store = new InMemoryTwoFactorStore();
      const setIfAbsent = jest.spyOn(store, 'setIfAbsent');
      const http = await boot({ store });
      await asUser(http().post('/account/transfer'), 'u-1');
      expect(setIfAbsent).toHaveBeenCalledTimes(1);
      expect(bed.app.get(TwoFactorStore)).toBe(store);
    });
  });
});
