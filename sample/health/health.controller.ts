import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { VerigatorHealthIndicator } from 'nestjs-verigator';
import { RateLimit } from '../rate-limit';

/** `GET /health`: Terminus' report, with Verigator's reachability and circuit states. */
@Controller('health')
@RateLimit('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly verigator: VerigatorHealthIndicator,
  ) {}

  /** 200 when Verigator answers, 503 with the reason when it does not. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.verigator.isHealthy('verigator')]);
  }
}
