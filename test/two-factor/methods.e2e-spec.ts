import { Controller, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthMethod, RequireTwoFactor } from '../../lib';
import {
  ADAPTERS,
  AccountController,
  AdapterFactory,
  FakeLoginGuard,
  SERVICE_ID,
} from '../utils/create-verigator-app';
import { VALID_TOKEN, initiates, verifies } from '../utils/simulator';
import { useTestBed } from '../utils/test-bed';

/** Besides the shared `AccountController`'s remembered (SMS) and totp routes: TOTP only. */
@Controller('account')
class AppOnlyController {
  @RequireTwoFactor({ method: AuthMethod.TOTP, smsFallback: 'refuse' })
  @Post('app-only')
  appOnly() {
    return { done: true };
  }
}

describe.each(ADAPTERS)("a route's method is enforced (%s)", (_name, adapter: AdapterFactory) => {
  const bed = useTestBed();

  async function boot() {
    await bed.boot(
      {},
      {
        adapter,
        controllers: [AccountController, AppOnlyController],
        providers: [{ provide: APP_GUARD, useClass: FakeLoginGuard }],
      },
    );
    return (path: string, user: string, token?: string) => {
      const req = bed.http().post(path).set('x-user', user);
      return token === undefined ? req : req.set('x-verigator-token', token);
    };
  }

  it('an SMS code this app sent cannot unlock a TOTP route while it may be valid', async () => {
    bed.sim.enrolDevice(SERVICE_ID, 'u-app');
    const post = await boot();
    const sent = await post('/account/remembered', 'u-app');
    expect(sent.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });

    const refused = await post('/account/totp', 'u-app', VALID_TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'TWO_FACTOR_SMS_PENDING' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(300);
    expect(verifies(bed.sim)).toHaveLength(0);

    // Verified where it was asked for, the SMS code is spent: the TOTP route verifies again.
    expect((await post('/account/remembered', 'u-app', VALID_TOKEN)).status).toBe(201);
    expect((await post('/account/totp', 'u-app', VALID_TOKEN)).status).toBe(201);
  });

  it('a remembered SMS success never passes a TOTP route; a remembered TOTP success passes an SMS route', async () => {
    bed.sim.enrolDevice(SERVICE_ID, 'u-app');
    const post = await boot();
    expect((await post('/account/remembered', 'u-app', VALID_TOKEN)).status).toBe(201);
    const totpRoute = await post('/account/totp', 'u-app');
    expect(totpRoute.status).toBe(401);
    expect(totpRoute.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'totp' });

    expect((await post('/account/totp', 'u-app', VALID_TOKEN)).status).toBe(201);
    expect((await post('/account/totp', 'u-app')).status).toBe(201);
    expect((await post('/account/remembered', 'u-app')).status).toBe(201);
    expect(verifies(bed.sim)).toHaveLength(2);
  });

  it('keeps cooldowns and the announced method per method', async () => {
    bed.sim.enrolDevice(SERVICE_ID, 'u-app');
    const post = await boot();
    expect((await post('/account/remembered', 'u-app')).body.method).toBe('sms');
    expect((await post('/account/totp', 'u-app')).body.method).toBe('totp');
    expect((await post('/account/remembered', 'u-app')).body.method).toBe('sms');
    expect((await post('/account/totp', 'u-app')).body.method).toBe('totp');
    expect(initiates(bed.sim).map((r) => r.body.method)).toEqual(['sms', 'totp']);
  });

  it("accepts Verigator's SMS fallback by default; the success counts as SMS", async () => {
    const post = await boot();
    const fallback = await post('/account/totp', 'u-no-app');
    expect(fallback.body).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
    expect((await post('/account/totp', 'u-no-app', VALID_TOKEN)).status).toBe(201);

    expect((await post('/account/remembered', 'u-no-app')).status).toBe(201);
    const totpAgain = await post('/account/totp', 'u-no-app');
    expect(totpAgain.status).toBe(401);
    expect(totpAgain.body.code).toBe('TWO_FACTOR_REQUIRED');
  });

  it("with smsFallback: 'refuse', tells a user without the app to enrol it", async () => {
    const post = await boot();
    const refused = await post('/account/app-only', 'u-no-app');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'TWO_FACTOR_APP_REQUIRED' });
    const repeat = await post('/account/app-only', 'u-no-app');
    expect(repeat.body.code).toBe('TWO_FACTOR_APP_REQUIRED');
    const withCode = await post('/account/app-only', 'u-no-app', VALID_TOKEN);
    expect(withCode.body.code).toBe('TWO_FACTOR_SMS_PENDING');
    expect(verifies(bed.sim)).toHaveLength(0);

    bed.sim.enrolDevice(SERVICE_ID, 'u-app');
    expect((await post('/account/app-only', 'u-app')).body.method).toBe('totp');
    expect((await post('/account/app-only', 'u-app', VALID_TOKEN)).status).toBe(201);
  });
});
