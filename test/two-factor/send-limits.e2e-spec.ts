import { TwoFactorModuleOptions } from '../../lib/two-factor/two-factor-options.interface';
import { ADAPTERS, AdapterFactory, asUser, expectAnswer } from '../utils/create-verigator-app';
import { closedPortUrl } from '../utils/recording-server';
import { NO_ANSWER, VALID_TOKEN, failEveryRequest, initiates, verifies } from '../utils/simulator';
import { useGuardBed } from '../utils/test-bed';

describe.each(ADAPTERS)('SMS send limits (%s)', (_name, adapter: AdapterFactory) => {
  const bed = useGuardBed(adapter);
  const tick = (ms: number) => bed.advance(ms);

  async function boot(twoFactor: TwoFactorModuleOptions = {}, endpoint = bed.sim.url) {
    const http = await bed.bootGuard(twoFactor, {}, { endpoint });
    return {
      ask: (user = 'u-1') => asUser(http().post('/account/transfer'), user),
      verify: (token: string, user = 'u-1') =>
        asUser(http().post('/account/transfer'), user, { token }),
    };
  }

  describe('the send budget', () => {
    it('allows 5 sends per user per 10 minutes by default, then 429 with Retry-After', async () => {
      const { ask } = await boot({ cooldown: 1 });
      for (let i = 0; i < 5; i++) {
        expect((await ask()).body.code).toBe('TWO_FACTOR_REQUIRED');
        tick(5);
      }
      const refused = await ask();
      expectAnswer(refused, {
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'TWO_FACTOR_SEND_LIMITED',
        message: 'Too many codes were sent; try again later',
      });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(590);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(initiates(bed.sim)).toHaveLength(5);
      expect((await ask('u-2')).body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(initiates(bed.sim)).toHaveLength(6);
    });

    it('follows maxSends and sendWindow, and sends again once the window has passed', async () => {
      const { ask } = await boot({ cooldown: 1, maxSends: 2, sendWindow: 400 });
      await ask();
      tick(5);
      await ask();
      tick(5);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(initiates(bed.sim)).toHaveLength(2);
      tick(450);
      expect((await ask()).body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(initiates(bed.sim)).toHaveLength(3);
    });

    it('spends one send for concurrent token-less requests', async () => {
      const { ask } = await boot({ maxSends: 1 });
      bed.sim.injectFault({ method: 'POST', path: '/**/auth', delayMs: 100, times: 100 });
      const answers = await Promise.all(Array.from({ length: 6 }, () => ask()));
      expect(answers.map((r) => r.body.code)).toEqual(Array(6).fill('TWO_FACTOR_REQUIRED'));
      expect(initiates(bed.sim)).toHaveLength(1);
    });

    it('gives back a send Verigator refused, so a failing Verigator does not use it up', async () => {
      const { ask } = await boot({ maxSends: 1 });
      failEveryRequest(bed.sim, { status: 500, body: {} });
      expect((await ask()).status).toBe(502);
      expect((await ask()).status).toBe(502);
      bed.sim.clearFaults();
      expect((await ask()).body.code).toBe('TWO_FACTOR_REQUIRED');
    });

    it('keeps a send whose outcome is unknown (timeout) in the budget', async () => {
      const { ask } = await boot({ maxSends: 1 });
      failEveryRequest(bed.sim, NO_ANSWER);
      expect((await ask()).status).toBe(504);
      bed.sim.clearFaults();
      expect((await ask()).status).toBe(429);
    });
  });

  describe('while locked out', () => {
    it('sends nothing: token-less requests answer 429 TWO_FACTOR_LOCKED', async () => {
      const { ask, verify } = await boot({ maxAttempts: 2, window: 5_000 });
      expect((await verify('111111')).status).toBe(401);
      expect((await verify('111112')).status).toBe(401);
      const locked = await ask();
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(4);
      expect(initiates(bed.sim)).toHaveLength(0);
      expect((await ask('u-2')).body.code).toBe('TWO_FACTOR_REQUIRED');
    });
  });

  describe('a verify whose outcome is unknown', () => {
    it.each([
      ['times out', 504, NO_ANSWER],
      ['has its connection reset', 503, { reset: true as const }],
    ])('%s: counts as an attempt', async (_what, status, fault) => {
      const { verify } = await boot({ maxAttempts: 2 });
      failEveryRequest(bed.sim, fault);
      expect((await verify(VALID_TOKEN)).status).toBe(status);
      expect((await verify(VALID_TOKEN)).status).toBe(status);
      bed.sim.clearFaults();
      const locked = await verify(VALID_TOKEN);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
      expect(verifies(bed.sim)).toHaveLength(2);
    });

    it.each([
      ['times out', 504, NO_ANSWER],
      ['has its connection reset', 503, { reset: true as const }],
    ])('%s: ends the cooldown, so the user can ask for a new code', async (_w, status, fault) => {
      const { ask, verify } = await boot();
      expect((await ask()).body.code).toBe('TWO_FACTOR_REQUIRED');
      failEveryRequest(bed.sim, fault);
      expect((await verify(VALID_TOKEN)).status).toBe(status);
      bed.sim.clearFaults();
      expect((await ask()).body.code).toBe('TWO_FACTOR_REQUIRED');
      expect(initiates(bed.sim)).toHaveLength(2);
    });

    it('but a verify that never reached Verigator (connection refused) is not counted', async () => {
      const { verify } = await boot({ maxAttempts: 1 }, await closedPortUrl());
      for (let i = 0; i < 3; i++) expect((await verify(VALID_TOKEN)).status).toBe(503);
    });
  });
});
