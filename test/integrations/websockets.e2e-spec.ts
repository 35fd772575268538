import { INestApplication, Module, UseFilters, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { Socket, io } from 'socket.io-client';
import {
  RequireTwoFactor,
  SkipTwoFactor,
  TwoFactorGuard,
  UsersService,
  VerigatorExceptionFilter,
  VerigatorModule,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';

const SERVICE_ID = 'svc-ws';
const USER_ID = 'user-ws';

// Nest applies no global filter or guard to gateways: they go on the gateway.
@UseFilters(VerigatorExceptionFilter)
@UseGuards(TwoFactorGuard)
@WebSocketGateway()
class UsersGateway {
  constructor(private readonly users: UsersService) {}

  @SkipTwoFactor()
  @SubscribeMessage('user')
  async user(@MessageBody() id: string): Promise<string> {
    return (await this.users.get(SERVICE_ID, id)).username;
  }

  @SubscribeMessage('unmarked')
  unmarked(): string {
    return 'let through';
  }
}

@WebSocketGateway()
class ProtectedGateway {
  @RequireTwoFactor()
  @SubscribeMessage('transfer')
  transfer(): string {
    return 'sent';
  }
}

describe('WebSocket gateways (socket.io)', () => {
  let sim: VerigatorSimulator;

  beforeAll(async () => {
    sim = await VerigatorSimulator.start({
      seed: {
        services: [
          {
            id: SERVICE_ID,
            name: 'WS',
            fqdn: 'ws.example.com',
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

  describe('with TwoFactorGuard on the gateway', () => {
    let app: INestApplication;
    let client: Socket;

    beforeAll(async () => {
      @Module({
        imports: [verigator()],
        providers: [UsersGateway],
      })
      class AppModule {}
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.listen(0, '127.0.0.1');
      client = io(await app.getUrl(), { transports: ['websocket'], forceNew: true });
      await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
    });
    afterAll(async () => {
      client?.close();
      await app?.close();
    });

    it('a handler answers normally', async () => {
      await expect(client.emitWithAck('user', USER_ID)).resolves.toBe('alice');
    });

    it('a VerigatorError reaches the client as a WsException with our code', async () => {
      const exception = new Promise((resolve) => client.once('exception', resolve));
      client.emit('user', 'nobody');
      const payload = await exception;
      expect(payload).toEqual({
        status: 'error',
        statusCode: 404,
        error: 'Not Found',
        message: 'The requested resource was not found',
        code: 'NO_SUCH_RESOURCE',
      });
    });

    it('a message the guard would protect is refused with a code that says why', async () => {
      const exception = new Promise((resolve) => client.once('exception', resolve));
      client.emit('unmarked', {});
      const payload = await exception;
      expect(payload).toMatchObject({
        status: 'error',
        code: 'TWO_FACTOR_UNSUPPORTED',
        message: expect.stringMatching(/HTTP/),
      });
    });
  });

  it('@RequireTwoFactor() on a gateway handler is refused at startup, naming it', async () => {
    @Module({ imports: [verigator()], providers: [ProtectedGateway] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toThrow(/ProtectedGateway\.transfer/);
    await app.close().catch(() => undefined);
  });
});
