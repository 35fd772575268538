export * from './verigator.module';
export * from './verigator-options.helpers';
export type { VerigatorModuleExtras } from './verigator.module-definition';
export type {
  ResolvedVerigatorOptions,
  VerigatorCircuitBreakerOptions,
  VerigatorModuleOptions,
} from './interfaces/verigator-module-options.interface';
export {
  DEFAULT_VERIGATOR_CIRCUIT_BREAKER,
  DEFAULT_VERIGATOR_ENDPOINT,
  DEFAULT_VERIGATOR_RETRIES,
  DEFAULT_VERIGATOR_TIMEOUT_MS,
} from './verigator.constants';
export * from './services/services.service';
export * from './services/users.service';
export * from './services/auth.service';
export * from './models';
export * from './errors';
export * from './dto/create-service.dto';
export * from './dto/create-user.dto';
export * from './dto/initiate-auth.dto';
export * from './dto/verify-token.dto';
export { IsPossiblePhoneNumber } from './validation/is-possible-phone-number.decorator';
export * from './two-factor/two-factor.guard';
export * from './two-factor/two-factor.exception';
export {
  TwoFactorGuardOrderError,
  type UnsafeTwoFactorRoute,
} from './two-factor/two-factor-guard-order.check';
export type {
  ResolvedTwoFactorOptions,
  TwoFactorModuleOptions,
  TwoFactorRequest,
  TwoFactorRequestReader,
  TwoFactorRouteOptions,
} from './two-factor/two-factor-options.interface';
export * from './two-factor/decorators/require-two-factor.decorator';
export * from './two-factor/decorators/skip-two-factor.decorator';
export * from './two-factor/stores/two-factor.store';
export * from './two-factor/stores/two-factor-store-keys';
export * from './two-factor/stores/in-memory-two-factor.store';
export * from './two-factor/stores/redis-two-factor.store';
export * from './two-factor/stores/two-factor-store.error';
export { TWO_FACTOR_DEFAULTS } from './verigator.constants';
export * from './filters/verigator-exception.filter';
export {
  VERIGATOR_ERROR_MESSAGES,
  type VerigatorErrorCode,
} from './filters/verigator-error-messages';
export {
  httpStatusForVerigatorError,
  type VerigatorErrorResponseBody,
} from './filters/verigator-error-response';
export { VERIGATOR_CHANNELS, type VerigatorChannelName } from './events/verigator-channels';
export type {
  VerigatorEvent,
  VerigatorEventInput,
  VerigatorEventListener,
} from './events/verigator-event';
export type {
  TwoFactorEvent,
  TwoFactorEventReason,
  TwoFactorEventType,
} from './events/two-factor-event';
export type { VerigatorCallEvent, VerigatorOperation } from './events/verigator-call-event';
export type {
  VerigatorBreakerEvent,
  VerigatorFailoverEvent,
  VerigatorResilienceEvent,
  VerigatorRetryEvent,
} from './events/verigator-resilience-event';
export type { VerigatorEventError } from './events/verigator-event-error';
export * from './health/verigator-health.indicator';
export { limitJsonBody } from './body/limit-json-body';
