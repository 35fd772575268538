import { Controller, Injectable, Post, UseGuards } from '@nestjs/common';
import { RequireTwoFactor, VerigatorModuleOptions } from '../../lib';
import { VERIGATOR_ERROR_MESSAGES } from '../../lib/filters/verigator-error-response';
import { ADAPTERS, AdapterFactory, FakeLoginGuard } from '../utils/create-verigator-app';
import { failEveryRequest } from '../utils/simulator';
import { useTestBed } from '../utils/test-bed';

/** A login guard reading the Verigator id from a JSON-encoded claim, as from a decoded token. */
@Injectable()
class JsonClaimLoginGuard extends FakeLoginGuard {
  protected override verigatorId(headers: Record<string, unknown>): unknown {
    return JSON.parse(headers['x-claim'] as string) as unknown;
  }
}

@Controller('account')
@UseGuards(JsonClaimLoginGuard)
class AccountController {
  @RequireTwoFactor()
  @Post('transfer')
  transfer() {
    return { done: true };
  }
}

describe.each(ADAPTERS)('TwoFactorGuard answers (%s)', (_name, adapter: AdapterFactory) => {
  const bed = useTestBed();

  async function boot(options: Partial<VerigatorModuleOptions> = {}) {
    await bed.boot(options, {
      adapter,
      controllers: [AccountController],
    });
    return (claim: string) => bed.http().post('/account/transfer').set('x-claim', claim);
  }

  it.each(['"\\ud800"', '"x\\udfff"'])(
    'a verigatorId with a lone surrogate (%s) is an unknown user: 401, nothing sent',
    async (claim) => {
      const transfer = await boot();
      const res = await transfer(claim);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TWO_FACTOR_USER_UNKNOWN');
      expect(bed.sim.requests()).toHaveLength(0);
    },
  );

  it('a session key with a lone surrogate remembers nothing, instead of failing with 500', async () => {
    const transfer = await boot({
      twoFactor: { maxAge: 60_000, sessionKey: () => '\ud800' },
    });
    const res = await transfer('"u-1"');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TWO_FACTOR_REQUIRED');
  });

  it('a 404 from Verigator answers our message; the upstream text is logged at debug only', async () => {
    const transfer = await boot();
    failEveryRequest(bed.sim, {
      status: 404,
      body: { message: 'User nope not found in service svc-1' },
    });
    const res = await transfer('"nope@example.com"');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      message: VERIGATOR_ERROR_MESSAGES.NO_SUCH_RESOURCE,
      code: 'NO_SUCH_RESOURCE',
    });
    expect(res.text).not.toContain('nope');
    expect(res.text).not.toContain('svc-1');
    expect(bed.logger.text('debug')).toContain('svc-1');
    expect(bed.logger.text('error') + bed.logger.text('warn')).toBe('');
    expect(bed.logger.text()).toContain('***@example.com');
    expect(bed.logger.text()).not.toContain('nope@example.com');
  });

  it('a 1 MB JSON error body of nested arrays answers 502, not 500', async () => {
    // Room for a 1 MB body on a loaded machine (the test app's default timeout is 300 ms).
    const transfer = await boot({ timeout: 5000 });
    failEveryRequest(bed.sim, { status: 500, body: '['.repeat(500_000) + ']'.repeat(500_000) });
    const res = await transfer('"u-1"');
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('INTERNAL_ERROR');
  });

  it('the errorMessages option replaces the message the guard answers', async () => {
    const transfer = await boot({ errorMessages: { CONNECTION_ERROR: 'Try again soon' } });
    failEveryRequest(bed.sim, { reset: true });
    const res = await transfer('"u-1"');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ message: 'Try again soon', code: 'CONNECTION_ERROR' });
  });
});
