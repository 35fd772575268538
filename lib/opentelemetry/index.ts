export { instrumentVerigator } from './instrument-verigator';
export type { VerigatorInstrumentationOptions } from './instrument-verigator';
