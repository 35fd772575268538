// The public API: only names a user writes in their code or types. `api-report.txt` lists them;
// `npm run lint` fails when this surface changes without the report (scripts/api-report.cjs).

// The module and its options
export { VerigatorModule } from './verigator.module';
export { InjectVerigatorOptions } from './options/verigator-options';
export { VERIGATOR_HTTP_SERVICE } from './verigator.constants';
export { validateVerigatorEnv } from './options/validate-verigator-env';
export type {
  ResolvedVerigatorOptions,
  VerigatorModuleOptions,
} from './options/verigator-module-options.interface';

// Calling Verigator
export { ServicesService } from './services/services.service';
export { UsersService } from './services/users.service';
export { AuthService } from './services/auth.service';
export { AuthMethod } from './models/verigator.models';
export type {
  VerificationResult,
  VerigatorService,
  VerigatorUser,
} from './models/verigator.models';
export {
  CreateServiceDto,
  CreateUserDto,
  InitiateAuthDto,
  VerifyTokenDto,
} from './dto/verigator.dto';

// Errors, and the filter that answers them
export {
  CircuitOpenError,
  ConnectionError,
  InternalError,
  InvalidDataError,
  InvalidResponseError,
  NoSuchResourceError,
  RateLimitedError,
  RequestTimeoutError,
  ResourceAlreadyExistsError,
  ResourceForbiddenError,
  SmsRefusedError,
  VerigatorError,
  WrongCredentialsError,
} from './errors/verigator.error';
export { VerigatorConfigurationError } from './errors/verigator-configuration.error';
export { VerigatorExceptionFilter } from './filters/verigator-exception.filter';

// The guard
export { TwoFactorGuard } from './two-factor/two-factor.guard';
export { TwoFactorException } from './two-factor/two-factor.exception';
export { RequireTwoFactor } from './two-factor/decorators/require-two-factor.decorator';
export { SkipTwoFactor } from './two-factor/decorators/skip-two-factor.decorator';
export { TwoFactorStore } from './stores/two-factor.store';
export { TwoFactorStoreError } from './stores/two-factor-store.error';
export { InMemoryTwoFactorStore } from './stores/in-memory-two-factor.store';
export { RedisTwoFactorStore } from './stores/redis-two-factor.store';
export { TrustedDevicesService } from './trusted-devices/trusted-devices.service';

// Recovery codes
export { RecoveryCodesService } from './recovery-codes/recovery-codes.service';
export type { RecoveryCodeStore } from './recovery-codes/recovery-code.store';
export { InMemoryRecoveryCodeStore } from './recovery-codes/in-memory-recovery-code.store';
export { RedisRecoveryCodeStore } from './recovery-codes/redis-recovery-code.store';

// The audit trail
export { VERIGATOR_CHANNELS } from './events/verigator-channels';
export type { VerigatorEvent } from './events/verigator-event';

// Health
export { VerigatorHealthIndicator } from './health/verigator-health.indicator';

// Request bodies
export { limitJsonBody } from './body/limit-json-body';
