import { Module } from '@nestjs/common';
import { VerigatorEventPublisher } from './events/verigator-event-publisher';
import { VerigatorHealthIndicator } from './health/verigator-health.indicator';
import { verigatorHttpServiceProvider } from './http/create-verigator-http-service';
import { VerigatorHttpClient } from './http/verigator-http-client';
import { resolvedVerigatorOptionsProvider } from './options/verigator-options';
import { AuthService } from './services/auth.service';
import { ServicesService } from './services/services.service';
import { UsersService } from './services/users.service';
import { RecoveryCodesService } from './recovery-codes/recovery-codes.service';
import { UserRecords } from './services/user-records';
import { SmsDefence } from './sms/sms-defence';
import {
  recoveryCodeStoreProvider,
  twoFactorOptionsProvider,
  twoFactorStoreProvider,
} from './options/two-factor-options';
import { TwoFactorStore } from './stores/two-factor.store';
import { TrustedDevicesService } from './trusted-devices/trusted-devices.service';
import { TwoFactorGuard } from './two-factor/two-factor.guard';
import { TwoFactorRoutesCheck } from './two-factor/two-factor-routes.check';
import { TwoFactorFeatureDocs } from './two-factor/decorators/two-factor-openapi';
import { VERIGATOR_OPTIONS, VERIGATOR_TWO_FACTOR_OPTIONS } from './verigator.constants';
import { ConfigurableVerigatorModule } from './verigator.module-definition';

/**
 * Verigator two-factor authentication for Nest: provides `ServicesService`, `UsersService` and
 * `AuthService` over the module's own HTTP client, `TwoFactorGuard` with its `TwoFactorStore`,
 * `TrustedDevicesService`, `RecoveryCodesService`, and `VerigatorHealthIndicator` for
 * `@nestjs/terminus`.
 * @example
 * VerigatorModule.forRoot({ username: 'api-user', password: process.env.VERIGATOR_PASSWORD! })
 * VerigatorModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ username: config.get('U'), password: config.get('P') }),
 * })
 */
@Module({
  providers: [
    resolvedVerigatorOptionsProvider,
    verigatorHttpServiceProvider,
    VerigatorEventPublisher,
    VerigatorHttpClient,
    ServicesService,
    UsersService,
    UserRecords,
    AuthService,
    SmsDefence,
    twoFactorOptionsProvider,
    twoFactorStoreProvider,
    recoveryCodeStoreProvider,
    RecoveryCodesService,
    TwoFactorGuard,
    TrustedDevicesService,
    TwoFactorRoutesCheck,
    TwoFactorFeatureDocs,
    VerigatorHealthIndicator,
  ],
  exports: [
    VERIGATOR_OPTIONS,
    ServicesService,
    UsersService,
    AuthService,
    VERIGATOR_TWO_FACTOR_OPTIONS,
    TwoFactorStore,
    RecoveryCodesService,
    TwoFactorGuard,
    TrustedDevicesService,
    VerigatorEventPublisher,
    VerigatorHealthIndicator,
  ],
})
export class VerigatorModule extends ConfigurableVerigatorModule {}
