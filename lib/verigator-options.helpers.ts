import { Inject } from '@nestjs/common';
import { VERIGATOR_OPTIONS } from './verigator.constants';

/** The injection token of the resolved `VerigatorModuleOptions` (defaults applied). */
export function getVerigatorOptionsToken(): string {
  return VERIGATOR_OPTIONS;
}

/**
 * Injects the resolved module options (`ResolvedVerigatorOptions`).
 * @example constructor(@InjectVerigatorOptions() private readonly options: ResolvedVerigatorOptions) {}
 */
export function InjectVerigatorOptions(): ParameterDecorator & PropertyDecorator {
  return Inject(VERIGATOR_OPTIONS);
}
