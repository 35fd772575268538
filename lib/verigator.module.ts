import { Module } from '@nestjs/common';
import { verigatorHttpServiceProvider } from './http/create-verigator-http-service';
import { VerigatorHttpClient } from './http/verigator-http-client';
import { resolvedVerigatorOptionsProvider } from './resolve-verigator-options';
import { AuthService } from './services/auth.service';
import { ServicesService } from './services/services.service';
import { UsersService } from './services/users.service';
import { VERIGATOR_OPTIONS } from './verigator.constants';
import { ConfigurableVerigatorModule } from './verigator.module-definition';

/**
 * Verigator two-factor authentication for Nest: provides `ServicesService`, `UsersService` and
 * `AuthService` over the module's own HTTP client.
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
    VerigatorHttpClient,
    ServicesService,
    UsersService,
    AuthService,
  ],
  exports: [VERIGATOR_OPTIONS, ServicesService, UsersService, AuthService],
})
export class VerigatorModule extends ConfigurableVerigatorModule {}
