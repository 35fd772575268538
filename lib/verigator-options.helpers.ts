import { Inject } from '@nestjs/common';
import { VERIGATOR_OPTIONS } from './verigator.constants';

/**
 * Injects the resolved module options (`ResolvedVerigatorOptions`).
 * @example constructor(@InjectVerigatorOptions() private readonly options: ResolvedVerigatorOptions) {}
 */
export function InjectVerigatorOptions(): ParameterDecorator & PropertyDecorator {
  return Inject(VERIGATOR_OPTIONS);
}
