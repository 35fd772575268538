// Runs the README's configuration snippet (src/app.module.ts) and guard example
// (src/account.controller.ts), extracted by extract-readme-snippets.mjs, in the consumer project:
// the module reads its settings from the environment, the guard sends an SMS and lets the
// request through with the code.
import 'reflect-metadata';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { VerigatorSimulator } from 'nestjs-verigator/testing';
import { AccountController } from '../src/account.controller.js';
import { AppModule } from '../src/app.module.js';

let sim: VerigatorSimulator;
let app: INestApplication;
let base: string;

beforeAll(async () => {
  sim = await VerigatorSimulator.start({
    username: 'readme-user',
    password: 'readme-pass',
    seed: {
      services: [
        {
          id: 'readme-service',
          name: 'Readme',
          fqdn: 'readme.local',
          users: [{ id: 'alice', username: 'alice@example.com', phoneNumber: '+3725555555' }],
        },
      ],
    },
  });
  Object.assign(process.env, {
    VERIGATOR_USERNAME: 'readme-user',
    VERIGATOR_PASSWORD: 'readme-pass',
    VERIGATOR_SERVICE_ID: 'readme-service',
    VERIGATOR_ENDPOINT: sim.url,
    VERIGATOR_TIMEOUT_MS: '3000',
  });

  @Module({ imports: [AppModule], controllers: [AccountController] })
  class ConsumerModule {}

  app = await NestFactory.create(ConsumerModule, { logger: false });
  // The app's own first factor, which the README says must set request.user.verigatorId.
  app.use((req: { user?: object }, _res: unknown, next: () => void) => {
    req.user = { verigatorId: 'alice' };
    next();
  });
  await app.listen(0, '127.0.0.1');
  base = await app.getUrl();
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

it('the configuration snippet reads the endpoint and timeout from the environment', async () => {
  const res = await fetch(`${base}/account/transfers`, { method: 'POST' });
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ code: 'TWO_FACTOR_REQUIRED', method: 'sms' });
  expect(sim.requests().length).toBeGreaterThan(0);
});

it('the guard example lets the request through with the SMS code', async () => {
  const res = await fetch(`${base}/account/transfers`, {
    method: 'POST',
    headers: { 'X-Verigator-Token': sim.lastCode('alice')! },
  });
  expect(res.status).toBe(201);
  expect(await res.json()).toEqual({ status: 'sent' });
});

it('the plain guard of the example demands its own fresh code', async () => {
  const asked = await fetch(`${base}/account/close`, { method: 'POST' });
  expect(asked.status).toBe(401);
  const res = await fetch(`${base}/account/close`, {
    method: 'POST',
    headers: { 'X-Verigator-Token': sim.lastCode('alice')! },
  });
  expect(res.status).toBe(201);
  expect(await res.json()).toEqual({ closed: true });
});
