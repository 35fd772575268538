/**
 * The app the guard benchmark loads, in its own process: five routes with the same trivial
 * handler. Started by `guard.cjs` with the upstream's URL in argv[2]; reports its port over IPC.
 *   GET /guarded          @RequireTwoFactor(): the guard verifies the X-Verigator-Token
 *   GET /handler-verify   no guard: the handler calls AuthService.verify itself
 *   GET /remembered       @RequireTwoFactor({ maxAge }): passes on a remembered success
 *   GET /unguarded        no guard
 *   GET /pass-through     an async guard that lets every request through: @RequireTwoFactor()'s
 *                         execution mode with no work, so remembered − pass-through is our own
 */
require('reflect-metadata');
const {
  Controller,
  UseGuards,
  Get,
  HttpCode,
  Inject,
  Module,
  Req,
  UnauthorizedException,
} = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { AuthService, RequireTwoFactor, VerigatorModule } = require('../dist');
const { UPSTREAM } = require('./lib/upstream.cjs');

const OK = { ok: true };

class BenchController {
  constructor(auth) {
    this.auth = auth;
  }
  guarded() {
    return OK;
  }
  async handlerVerify(req) {
    const token = req.headers['x-verigator-token'];
    const result = await this.auth.verify(UPSTREAM.serviceId, req.headers['x-user'], token);
    if (!result.verified) throw new UnauthorizedException();
    return OK;
  }
  remembered() {
    return OK;
  }
  unguarded() {
    return OK;
  }
  passThrough() {
    return OK;
  }
}

/** Lets every request through, asynchronously like TwoFactorGuard. */
class PassThroughGuard {
  async canActivate() {
    return true;
  }
}
Inject(AuthService)(BenchController, undefined, 0);
const method = (name, ...decorators) =>
  Reflect.decorate(
    decorators,
    BenchController.prototype,
    name,
    Object.getOwnPropertyDescriptor(BenchController.prototype, name),
  );
method('guarded', Get('guarded'), HttpCode(200), RequireTwoFactor());
method('handlerVerify', Get('handler-verify'), HttpCode(200));
Req()(BenchController.prototype, 'handlerVerify', 0);
method('remembered', Get('remembered'), HttpCode(200), RequireTwoFactor({ maxAge: 3_600_000 }));
method('unguarded', Get('unguarded'), HttpCode(200));
method('passThrough', Get('pass-through'), HttpCode(200), UseGuards(PassThroughGuard));
Reflect.decorate([Controller()], BenchController);

async function main() {
  const endpoint = process.argv[2];
  class BenchModule {}
  Reflect.decorate(
    [
      Module({
        imports: [
          VerigatorModule.forRoot({
            username: UPSTREAM.username,
            password: UPSTREAM.password,
            endpoint,
            twoFactor: {
              serviceId: UPSTREAM.serviceId,
              userId: (req) => req.headers['x-user'],
              // Room for the whole run: every verify counts as an attempt until it succeeds.
              maxAttempts: 1_000_000,
            },
          }),
        ],
        controllers: [BenchController],
      }),
    ],
    BenchModule,
  );
  const app = await NestFactory.create(BenchModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  process.send({ port: app.getHttpServer().address().port });
  // The bench asks for this process's CPU time around each run.
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => app.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
