import { ConfigurableModuleBuilder, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { VerigatorExceptionFilter } from './filters/verigator-exception.filter';
import { VerigatorModuleOptions } from './options/verigator-module-options.interface';
import { VERIGATOR_MODULE_OPTIONS } from './verigator.constants';

/** Options of `forRoot`/`forRootAsync` that shape the module itself rather than its clients. */
export interface VerigatorModuleExtras {
  /**
   * Make the services, the guard and the store injectable in every module.
   * @default false
   */
  isGlobal?: boolean;
  /**
   * Register `VerigatorExceptionFilter` for the whole app (APP_FILTER). Without it, Nest's default
   * handler would answer a `VerigatorError` with Verigator's own status: a 401 for the server's
   * wrong credentials would log the browser's user out. Set `false` to map the errors yourself.
   * @default true
   */
  exceptionFilter?: boolean;
}

const globalExceptionFilter: Provider = { provide: APP_FILTER, useClass: VerigatorExceptionFilter };

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
  .setExtras<VerigatorModuleExtras>(
    { isGlobal: false, exceptionFilter: true },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      providers: extras.exceptionFilter
        ? [...(definition.providers ?? []), globalExceptionFilter]
        : definition.providers,
    }),
  )
  .build();
