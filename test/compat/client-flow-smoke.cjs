/* The built package, loaded from CommonJS (Nest 12 through require(esm)), against the simulator. */
const assert = require('node:assert/strict');
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Module } = require('@nestjs/common');
const {
  VerigatorModule,
  ServicesService,
  UsersService,
  AuthService,
  NoSuchResourceError,
} = require('nestjs-verigator');
const { VerigatorSimulator } = require('nestjs-verigator/testing');

(async () => {
  const sim = await VerigatorSimulator.start({ username: 'u', password: 'p' });
  class AppModule {}
  Module({
    imports: [VerigatorModule.forRoot({ username: 'u', password: 'p', endpoint: sim.url })],
  })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.init();
  const service = await app.get(ServicesService).create({ fqdn: 'shop.com', name: 'Shop' });
  const user = await app
    .get(UsersService)
    .create(service.id, { username: 'a', phoneNumber: '+3725555555' });
  const used = await app.get(AuthService).initiate(service.id, user.id, 'sms');
  const ok = await app.get(AuthService).verify(service.id, user.id, sim.lastCode(user.id));
  const missing = await app
    .get(UsersService)
    .get(service.id, 'nope')
    .catch((e) => e);
  assert.equal(used, 'sms');
  assert.deepEqual(ok, { verified: true });
  assert.ok(missing instanceof NoSuchResourceError, 'a 404 becomes NoSuchResourceError');
  // The inbox page's files are copied into dist by the build script, outside tsc.
  for (const path of ['/', '/_simulator/inbox/inbox.js', '/_simulator/inbox/inbox.css']) {
    const res = await fetch(`${sim.url}${path}`);
    assert.equal(res.status, 200, `the packed simulator serves ${path}`);
    assert.ok((await res.text()).length > 0, `${path} is not empty`);
  }
  console.log('Client flow smoke test passed');
  await app.close();
  await sim.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
