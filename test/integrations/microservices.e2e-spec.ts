import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  ClientProxy,
  ClientProxyFactory,
  MessagePattern,
  Payload,
  Transport,
} from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { AddressInfo, Server } from 'node:net';
import { firstValueFrom } from 'rxjs';
import {
  RequireTwoFactor,
  SkipTwoFactor,
  TwoFactorGuard,
  UsersService,
  VerigatorModule,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';

const SERVICE_ID = 'svc-rpc';
const USER_ID = 'user-rpc';

@Controller()
class UsersHandlers {
  constructor(private readonly users: UsersService) {}

  @SkipTwoFactor()
  @MessagePattern('user')
  async user(@Payload() id: string): Promise<string> {
    return (await this.users.get(SERVICE_ID, id)).username;
  }

  @MessagePattern('unmarked')
  unmarked(): string {
    return 'let through';
  }
}

@Controller()
class ProtectedHandlers {
  @RequireTwoFactor()
  @MessagePattern('transfer')
  transfer(): string {
    return 'sent';
  }
}

describe('Microservices (TCP)', () => {
  let sim: VerigatorSimulator;

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({
      seed: {
        services: [
          {
            id: SERVICE_ID,
            name: 'RPC',
            fqdn: 'rpc.example.com',
            users: [{ id: USER_ID, username: 'alice', phoneNumber: '+3725555555' }],
          },
        ],
      },
    });
  });
  afterAll(() => sim?.close());

  function verigator() {
    return VerigatorModule.forRoot({
      username: 'demo',
      password: 'demo',
      endpoint: sim.url,
      serviceId: SERVICE_ID,
    });
  }

  describe('with a global TwoFactorGuard', () => {
    let microservice: INestMicroservice;
    let client: ClientProxy;

    beforeAll(async () => {
      @Module({
        imports: [verigator()],
        controllers: [UsersHandlers],
        providers: [{ provide: APP_GUARD, useClass: TwoFactorGuard }],
      })
      class AppModule {}
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      microservice = moduleRef.createNestMicroservice({
        transport: Transport.TCP,
        options: { host: '127.0.0.1', port: 0 },
        logger: false,
      });
      await microservice.listen();
      const { port } = microservice.unwrap<Server>().address() as AddressInfo;
      client = ClientProxyFactory.create({
        transport: Transport.TCP,
        options: { host: '127.0.0.1', port },
      });
    });
    afterAll(async () => {
      await client?.close();
      await microservice?.close();
    });

    it('a handler answers normally', async () => {
      await expect(firstValueFrom(client.send('user', USER_ID))).resolves.toBe('alice');
    });

    it('a VerigatorError reaches the caller as an RpcException with our code', async () => {
      await expect(firstValueFrom(client.send('user', 'nobody'))).rejects.toEqual({
        status: 'error',
        statusCode: 404,
        error: 'Not Found',
        message: 'The requested resource was not found',
        code: 'NO_SUCH_RESOURCE',
      });
    });

    it('a handler the guard would protect is refused with a code that says why', async () => {
      await expect(firstValueFrom(client.send('unmarked', {}))).rejects.toMatchObject({
        status: 'error',
        code: 'TWO_FACTOR_UNSUPPORTED',
        message: expect.stringMatching(/HTTP/),
      });
    });
  });

  it('@RequireTwoFactor() on a message handler is refused at startup, naming it', async () => {
    @Module({ imports: [verigator()], controllers: [ProtectedHandlers] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const microservice = moduleRef.createNestMicroservice({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: 0 },
      logger: false,
    });
    await expect(microservice.init()).rejects.toThrow(/ProtectedHandlers\.transfer/);
    await microservice.close().catch(() => undefined);
  });
});
