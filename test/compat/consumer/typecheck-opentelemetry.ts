// A consumer of `nestjs-verigator/opentelemetry`, type-checked by typecheck.mjs in every
// TypeScript setup (as ESM and as CommonJS), with its peer @opentelemetry/api installed.
import { metrics, trace } from '@opentelemetry/api';
import { VERIGATOR_CHANNELS } from 'nestjs-verigator';
import {
  instrumentVerigator,
  type VerigatorInstrumentationOptions,
} from 'nestjs-verigator/opentelemetry';

const options: VerigatorInstrumentationOptions = {
  tracerProvider: trace.getTracerProvider(),
  meterProvider: metrics.getMeterProvider(),
};
export const stop: () => void = instrumentVerigator(options);
export const callChannel: string = VERIGATOR_CHANNELS.clientCall;
