import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_PIPE } from '@nestjs/core';
import { VerigatorModule } from 'nestjs-verigator';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsStore } from './accounts/accounts.store';
import { TransfersController } from './transfers/transfers.controller';
import { createSampleTwoFactorStore } from './two-factor-store';

/** Configuration values the sample reads through `ConfigService`. */
export interface SampleConfig {
  VERIGATOR_USERNAME: string;
  VERIGATOR_PASSWORD: string;
  VERIGATOR_ENDPOINT?: string;
  VERIGATOR_SERVICE_ID: string;
  VERIGATOR_TIMEOUT_MS?: number;
  /** Redis for the two-factor store; the in-memory store when absent. */
  REDIS_URL?: string;
}

/**
 * The sample app: sign-up registers users with Verigator; money transfers and recovery codes
 * need a fresh second factor. Verigator errors become HTTP answers through
 * `VerigatorExceptionFilter`, which `VerigatorModule` registers for the whole app by default.
 */
@Module({})
export class AppModule {
  /** Builds the app with `config` as its configuration source. */
  static forRoot(config: SampleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        VerigatorModule.forRootAsync({
          isGlobal: true,
          inject: [ConfigService],
          useFactory: (settings: ConfigService<SampleConfig, true>) => ({
            username: settings.get('VERIGATOR_USERNAME'),
            password: settings.get('VERIGATOR_PASSWORD'),
            endpoint: settings.get('VERIGATOR_ENDPOINT'),
            serviceId: settings.get('VERIGATOR_SERVICE_ID'),
            timeout: settings.get('VERIGATOR_TIMEOUT_MS'),
            twoFactor: { store: createSampleTwoFactorStore(settings.get('REDIS_URL')) },
          }),
        }),
      ],
      controllers: [AccountsController, TransfersController],
      providers: [
        AccountsStore,
        { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, transform: true }) },
      ],
    };
  }
}
