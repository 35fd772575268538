import { Controller, INestApplication, Post, UseGuards } from '@nestjs/common';
import request from 'supertest';
import { InMemoryTwoFactorStore, RequireTwoFactor } from '../../lib';
import { FakeVerigator, VALID_TOKEN } from './fake-verigator';
import { ADAPTERS, AdapterFactory, FakeLoginGuard, createTestApp } from './two-factor-app';

@Controller('account')
@UseGuards(FakeLoginGuard)
class AccountController {
  @Post('transfer')
  @RequireTwoFactor()
  transfer() {
    return { done: true };
  }
}

describe.each(ADAPTERS)('in-memory store under pressure (%s)', (_name, adapter: AdapterFactory) => {
  const fake = new FakeVerigator();
  let app: INestApplication | undefined;

  beforeAll(() => fake.start());
  afterAll(async () => {
    await app?.close();
    await fake.close();
  });

  it('keeps a lockout while many other users ask for codes', async () => {
    const warnings: string[] = [];
    const store = new InMemoryTwoFactorStore({
      maxEntries: 20,
      logger: { warn: (message: string) => warnings.push(message) },
    });
    ({ app } = await createTestApp(adapter, fake.url, {
      options: { twoFactor: { store, maxAttempts: 2 } },
      controllers: [AccountController],
    }));
    const http = () => request(app!.getHttpServer()).post('/account/transfer');
    await http().set('x-user', 'victim').set('x-verigator-token', '111111');
    await http().set('x-user', 'victim').set('x-verigator-token', '111112');
    for (let i = 0; i < 80; i++) {
      expect((await http().set('x-user', `other-${i}`)).body.code).toBe('TWO_FACTOR_REQUIRED');
    }
    expect(store.size).toBeLessThanOrEqual(20);
    const verifiesBefore = fake.verifies.length;
    const locked = await http().set('x-user', 'victim').set('x-verigator-token', VALID_TOKEN);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
    expect(fake.verifies).toHaveLength(verifiesBefore);
    // the other users' one-send budgets had to go, never the lockout, and that was logged
    expect(warnings.length).toBeGreaterThan(0);
  });
});
