import { Test } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import {
  AuthService,
  ServicesService,
  UsersService,
  VerigatorModule,
  VerigatorModuleOptions,
} from '../../lib';

/** Test credentials; the password is what leak tests search for. */
export const TEST_USERNAME = 'api-user';
export const TEST_PASSWORD = 's3cr3t-P4ssw0rd-never-shown';

/** A started Nest app holding VerigatorModule, with its three services. */
export interface VerigatorTestApp {
  app: INestApplication;
  services: ServicesService;
  users: UsersService;
  auth: AuthService;
}

/** Boots `VerigatorModule.forRoot()` pointed at `endpoint`. */
export async function createVerigatorApp(
  endpoint: string,
  options: Partial<VerigatorModuleOptions> = {},
): Promise<VerigatorTestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      VerigatorModule.forRoot({
        username: TEST_USERNAME,
        password: TEST_PASSWORD,
        endpoint,
        ...options,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication();
  await app.init();
  return {
    app,
    services: app.get(ServicesService),
    users: app.get(UsersService),
    auth: app.get(AuthService),
  };
}
