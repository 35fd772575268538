import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TerminusModule } from '@nestjs/terminus';
import { VerigatorModule } from 'nestjs-verigator';
import { AccountSecurityController } from './accounts/account-security.controller';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsStore } from './accounts/accounts.store';
import { createAuditLog } from './audit/audit-log';
import { HealthController } from './health/health.controller';
import { rateLimitFor } from './rate-limit';
import { SAMPLE_RATE_LIMITS, SampleRateLimits } from './sample-settings';
import { TransfersController } from './transfers/transfers.controller';
import { createSampleStores } from './sample-stores';

/** Configuration values the sample reads through `ConfigService`. */
export interface SampleConfig {
  VERIGATOR_USERNAME: string;
  VERIGATOR_PASSWORD: string;
  VERIGATOR_ENDPOINT?: string;
  VERIGATOR_SERVICE_ID: string;
  VERIGATOR_TIMEOUT_MS?: number;
  /** Redis for the two-factor and recovery-code stores; in memory when absent. */
  REDIS_URL?: string;
  /** The secret of the recovery codes' keyed hashes. */
  RECOVERY_CODE_SECRET: string;
}

/**
 * The sample app: sign-up registers users with Verigator; money transfers need a second factor
 * (a code, a trusted device or a recovery code); revoking devices, new recovery codes and a new
 * phone number need a fresh code. Verigator errors become HTTP answers through
 * `VerigatorExceptionFilter`, which `VerigatorModule` registers for the whole app by default.
 * Every route is rate-limited per client IP with `@nestjs/throttler` (a global guard, which runs
 * before any other), each with the limit its `@RateLimit()` names.
 */
@Module({})
export class AppModule {
  /** Builds the app with `config` as its configuration source; `SAMPLE_RATE_LIMITS` by default. */
  static forRoot(config: SampleConfig, rateLimits: Partial<SampleRateLimits> = {}): DynamicModule {
    const limits = { ...SAMPLE_RATE_LIMITS, ...rateLimits };
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        ThrottlerModule.forRoot([
          {
            limit: (context) => rateLimitFor(limits, context).limit,
            ttl: (context) => rateLimitFor(limits, context).ttlMs,
          },
        ]),
        TerminusModule.forRoot({ logger: false }),
        VerigatorModule.forRootAsync({
          isGlobal: true,
          inject: [ConfigService],
          useFactory: (settings: ConfigService<SampleConfig, true>) => {
            const stores = createSampleStores(settings.get('REDIS_URL'));
            return {
              username: settings.get('VERIGATOR_USERNAME'),
              password: settings.get('VERIGATOR_PASSWORD'),
              endpoint: settings.get('VERIGATOR_ENDPOINT'),
              serviceId: settings.get('VERIGATOR_SERVICE_ID'),
              timeout: settings.get('VERIGATOR_TIMEOUT_MS'),
              twoFactor: {
                store: stores.twoFactor,
                // "Don't ask again on this device": a token in X-Verigator-Device-Token (API clients)
                trustedDevices: { transport: 'header' },
                // One-time codes for a lost phone, as keyed hashes; the secret from the settings
                recoveryCodes: {
                  store: stores.recoveryCodes,
                  secrets: { v1: settings.get('RECOVERY_CODE_SECRET') },
                },
              },
              // SMS pumping defences: only the countries the app serves, and SMS budgets.
              sms: {
                allowedCountries: ['EE', 'LV', 'LT', 'FI'],
                budget: {
                  max: limits.sms.limit,
                  window: limits.sms.ttlMs,
                  reservedForVerified: 0.2,
                },
                prefixBudget: { max: limits.smsPerPrefix.limit, window: limits.smsPerPrefix.ttlMs },
              },
              onEvent: createAuditLog(),
            };
          },
        }),
      ],
      controllers: [
        AccountsController,
        AccountSecurityController,
        TransfersController,
        HealthController,
      ],
      providers: [
        AccountsStore,
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, transform: true }) },
      ],
    };
  }
}
