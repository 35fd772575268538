// Simulates an app without the optional peer: loading @nestjs/terminus fails.
jest.mock('@nestjs/terminus', () => {
  throw new Error("Cannot find module '@nestjs/terminus'");
});

import { VerigatorHealthIndicator } from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { TEST_PASSWORD, TEST_USERNAME, createVerigatorApp } from '../utils/create-verigator-app';

describe('without @nestjs/terminus installed', () => {
  it('the module and its services work; the indicator says what to install', async () => {
    const sim = await VerigatorSimulator.start({
      username: TEST_USERNAME,
      password: TEST_PASSWORD,
    });
    const client = await createVerigatorApp(sim.url);
    try {
      await expect(
        client.services.create({ fqdn: 'shop.com', name: 'Shop' }),
      ).resolves.toBeDefined();
      const error = await client.app
        .get(VerigatorHealthIndicator)
        .isHealthy()
        .catch((e: unknown) => e);
      expect((error as Error).message).toContain('npm install @nestjs/terminus');
      expect(sim.requests()).toHaveLength(1);
    } finally {
      await client.app.close();
      await sim.close();
    }
  });
});
