import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { InMemoryTwoFactorStore } from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import {
  ADAPTERS,
  AccountController,
  AdapterFactory,
  createVerigatorApp,
} from '../utils/create-verigator-app';
import { TEST_USERS, VALID_TOKEN, startSimulator, verifies } from '../utils/simulator';

describe.each(ADAPTERS)('in-memory store under pressure (%s)', (_name, adapter: AdapterFactory) => {
  let sim: VerigatorSimulator;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    const others = Array.from({ length: 80 }, (_, i) => `other-${i}`);
    sim = await startSimulator({ users: [...TEST_USERS, ...others] });
  });
  afterAll(async () => {
    await app?.close();
    await sim.close();
  });

  it('keeps a lockout while many other users ask for codes', async () => {
    const warnings: string[] = [];
    const store = new InMemoryTwoFactorStore({
      maxEntries: 20,
      logger: { warn: (message: string) => warnings.push(message) },
    });
    ({ app } = await createVerigatorApp(
      sim.url,
      { twoFactor: { store, maxAttempts: 2 } },
      {
        adapter,
        controllers: [AccountController],
      },
    ));
    const http = () => request(app!.getHttpServer()).post('/account/transfer');
    await http().set('x-user', 'victim').set('x-verigator-token', '111111');
    await http().set('x-user', 'victim').set('x-verigator-token', '111112');
    for (let i = 0; i < 80; i++) {
      expect((await http().set('x-user', `other-${i}`)).body.code).toBe('TWO_FACTOR_REQUIRED');
    }
    expect(store.size).toBeLessThanOrEqual(20);
    const verifiesBefore = verifies(sim).length;
    const locked = await http().set('x-user', 'victim').set('x-verigator-token', VALID_TOKEN);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TWO_FACTOR_LOCKED');
    expect(verifies(sim)).toHaveLength(verifiesBefore);
    // the other users' one-send budgets had to go, never the lockout, and that was logged
    expect(warnings.length).toBeGreaterThan(0);
  });
});
