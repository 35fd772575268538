import { ConfigurableModuleBuilder } from '@nestjs/common';
import { VerigatorModuleOptions } from './interfaces/verigator-module-options.interface';

/** Injection token of the options exactly as given to `forRoot`/`forRootAsync`. */
export const VERIGATOR_MODULE_OPTIONS = 'VERIGATOR:MODULE_OPTIONS';

export const {
  ConfigurableModuleClass: ConfigurableVerigatorModule,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE: VERIGATOR_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: VERIGATOR_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<VerigatorModuleOptions>({
  optionsInjectionToken: VERIGATOR_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createVerigatorOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
