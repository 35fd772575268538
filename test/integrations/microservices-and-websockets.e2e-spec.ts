import {
  Controller,
  INestApplication,
  INestMicroservice,
  ModuleMetadata,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ClientProxyFactory, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { TestingModule } from '@nestjs/testing';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { AddressInfo, Server } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { io } from 'socket.io-client';
import {
  RequireTwoFactor,
  SkipTwoFactor,
  TwoFactorGuard,
  UsersService,
  VerigatorExceptionFilter,
} from '../../lib';
import { VerigatorSimulator } from '../../lib/testing';
import { SERVICE_ID, compileVerigatorModule } from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

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

/** A running server and a client of it: `send()` resolves the answer or rejects with the error. */
interface Connection {
  send(pattern: string, payload: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** How each transport serves the handlers, and which module is refused at startup. */
interface TransportCase {
  name: string;
  /** What the caller receives an error as. */
  exception: string;
  /** The handlers, with their guard (and filter) as a user would declare them. */
  connect(sim: VerigatorSimulator): Promise<Connection>;
  /** A module with `@RequireTwoFactor()` on a handler, which must refuse to start. */
  refused: ModuleMetadata;
  /** The handler the startup error names. */
  refusedHandler: string;
  create(moduleRef: TestingModule): INestApplication | INestMicroservice;
}

const TRANSPORTS: TransportCase[] = [
  {
    name: 'Microservices (TCP), with a global TwoFactorGuard',
    exception: 'an RpcException',
    async connect(sim) {
      const moduleRef = await compileVerigatorModule(
        sim.url,
        {},
        {
          controllers: [UsersHandlers],
          providers: [{ provide: APP_GUARD, useClass: TwoFactorGuard }],
        },
      );
      const microservice = tcpMicroservice(moduleRef);
      await microservice.listen();
      const { port } = microservice.unwrap<Server>().address() as AddressInfo;
      const client = ClientProxyFactory.create({
        transport: Transport.TCP,
        options: { host: '127.0.0.1', port },
      });
      return {
        send: (pattern, payload) => firstValueFrom(client.send(pattern, payload)),
        async close() {
          await client.close();
          await microservice.close();
        },
      };
    },
    refused: { controllers: [ProtectedHandlers] },
    refusedHandler: 'ProtectedHandlers.transfer',
    create: tcpMicroservice,
  },
  {
    name: 'WebSocket gateways (socket.io), with TwoFactorGuard on the gateway',
    exception: 'a WsException',
    async connect(sim) {
      const moduleRef = await compileVerigatorModule(sim.url, {}, { providers: [UsersGateway] });
      const app = moduleRef.createNestApplication({ logger: false });
      await app.listen(0, '127.0.0.1');
      const client = io(await app.getUrl(), { transports: ['websocket'], forceNew: true });
      await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
      return {
        send: (pattern, payload) =>
          new Promise((resolve, reject) => {
            client.once('exception', reject);
            client.emit(pattern, payload, (answer: unknown) => {
              client.off('exception', reject);
              resolve(answer);
            });
          }),
        async close() {
          client.close();
          await app.close();
        },
      };
    },
    refused: { providers: [ProtectedGateway] },
    refusedHandler: 'ProtectedGateway.transfer',
    create: (moduleRef) => moduleRef.createNestApplication({ logger: false }),
  },
];

function tcpMicroservice(moduleRef: TestingModule): INestMicroservice {
  return moduleRef.createNestMicroservice({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: 0 },
    logger: false,
  });
}

describe.each(TRANSPORTS)('$name', (transport) => {
  let sim: VerigatorSimulator;
  let connection: Connection;

  beforeAll(async () => {
    sim = await startSimulator({
      users: [{ id: USER_ID, username: 'alice', phoneNumber: '+3725555555' }],
    });
    connection = await transport.connect(sim);
  });
  afterAll(async () => {
    await connection?.close();
    await sim?.close();
  });

  it('a handler answers normally', async () => {
    await expect(connection.send('user', USER_ID)).resolves.toBe('alice');
  });

  it(`a VerigatorError reaches the caller as ${transport.exception} with our code`, async () => {
    await expect(connection.send('user', 'nobody')).rejects.toEqual({
      status: 'error',
      statusCode: 404,
      error: 'Not Found',
      message: 'The requested resource was not found',
      code: 'NO_SUCH_RESOURCE',
    });
  });

  it('a handler the guard would protect is refused with a code that says why', async () => {
    await expect(connection.send('unmarked', {})).rejects.toMatchObject({
      status: 'error',
      code: 'TWO_FACTOR_UNSUPPORTED',
      message: expect.stringMatching(/HTTP/),
    });
  });

  it('@RequireTwoFactor() on a handler is refused at startup, naming it', async () => {
    const app = transport.create(await compileVerigatorModule(sim.url, {}, transport.refused));
    await expect(app.init()).rejects.toThrow(transport.refusedHandler);
    await app.close().catch(() => undefined);
  });
});
