export * from './auth-method';
export * from './verigator-service.model';
export * from './verigator-user.model';
export * from './verification-result.model';
