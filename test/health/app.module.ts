import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { VerigatorHealthIndicator, VerigatorModule, VerigatorModuleOptions } from '../../lib';

/** GET /health, as an app would write it with Terminus. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly verigator: VerigatorHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.verigator.isHealthy('verigator')]);
  }
}

/** An app with Terminus and VerigatorModule. */
@Module({})
export class HealthAppModule {
  static forRoot(options: VerigatorModuleOptions): DynamicModule {
    return {
      module: HealthAppModule,
      imports: [TerminusModule.forRoot({ logger: false }), VerigatorModule.forRoot(options)],
      controllers: [HealthController],
    };
  }
}
