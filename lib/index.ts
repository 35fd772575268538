export * from './verigator.module';
export * from './verigator-options.helpers';
export type {
  ResolvedVerigatorOptions,
  VerigatorModuleOptions,
} from './interfaces/verigator-module-options.interface';
export { DEFAULT_VERIGATOR_ENDPOINT, DEFAULT_VERIGATOR_TIMEOUT_MS } from './verigator.constants';
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
