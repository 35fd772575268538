// The public API of `nestjs-verigator/testing`: names a user writes in their tests. Listed in
// `api-report.txt` (scripts/api-report.cjs).
export { VerigatorSimulator } from './verigator-simulator';
export type { VerigatorSimulatorOptions } from './simulator-options.interface';
export type { SimulatorSeed } from './simulator-seed';
export type { SimulatorMessage } from './simulator-state';
export type { SimulatorFault } from './faults';
export type { RecordedRequest } from './recorded-request';
export type { EnrolledDevice } from './totp-device';
