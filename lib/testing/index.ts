export { VerigatorSimulator } from './verigator-simulator';
export type { VerigatorSimulatorOptions } from './simulator-options.interface';
export type { SimulatorSeed, SeedService, SeedUser } from './simulator-seed';
export type {
  SimulatorMessage,
  MessageFilter,
  MessageStatus,
  ServiceSummary,
  VerifyOutcome,
} from './simulator-state';
export type { SimulatorFault, ActiveFault } from './faults';
export type { RecordedRequest } from './recorded-request';
export type { EnrolledDevice } from './totp-device';
export { SimulatorError } from './simulator-error';
export { SIMULATOR_LOG_LIMIT } from './bounded-log';
