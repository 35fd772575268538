// A consumer's use of the public API, type-checked by typecheck.mjs in every TypeScript setup the
// package supports (as ESM and as CommonJS), without the optional peers installed.
import { Controller, Module, Post } from '@nestjs/common';
import {
  AuthMethod,
  AuthService,
  InMemoryTwoFactorStore,
  RedisTwoFactorStore,
  RequireTwoFactor,
  TwoFactorStore,
  type RecoveryCodeStore,
  VerifyTokenDto,
  VerigatorError,
  VerigatorHealthIndicator,
  VerigatorModule,
  validateVerigatorEnv,
  type VerificationResult,
} from 'nestjs-verigator';
import { type SimulatorSeed, VerigatorSimulator } from 'nestjs-verigator/testing';

@Controller('account')
export class AccountController {
  constructor(
    private readonly auth: AuthService,
    private readonly health: VerigatorHealthIndicator,
  ) {}

  @Post('verify')
  @RequireTwoFactor()
  verify(dto: VerifyTokenDto): Promise<VerificationResult> {
    return this.auth.verify('service', 'user', dto.token);
  }

  async healthy(): Promise<boolean> {
    const result = await this.health.isHealthy('verigator');
    return result.verigator.status === 'up';
  }
}

@Module({
  imports: [
    VerigatorModule.forRoot({
      username: 'u',
      password: 'p',
      twoFactor: { store: new InMemoryTwoFactorStore() },
    }),
  ],
  controllers: [AccountController],
})
export class AppModule {}

export const seed: SimulatorSeed = { services: [{ id: 's', name: 'S', fqdn: 's.local' }] };
export const redisStore = (url: string) => RedisTwoFactorStore.connect(url, { prefix: 'app:' });
export const method: AuthMethod = AuthMethod.SMS;
export const isVerigatorError = (error: unknown) => error instanceof VerigatorError;
export const startSimulator = () =>
  VerigatorSimulator.start({ username: 'u', password: 'p', seed });
export const env: NodeJS.ProcessEnv = validateVerigatorEnv(process.env);

/** A store of one's own writes the types the store's name carries. */
export const lookUp = async (store: TwoFactorStore): Promise<TwoFactorStore.Record | undefined> =>
  store.get('key');
export const count = (store: TwoFactorStore): Promise<TwoFactorStore.Counter> =>
  store.increment('key', 1000);
export const owner: RecoveryCodeStore.Owner = { serviceId: 's', userId: 'u' };
