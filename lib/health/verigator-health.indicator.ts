import { Inject, Injectable } from '@nestjs/common';
import {
  ConnectionError,
  NoSuchResourceError,
  RequestTimeoutError,
  ResourceForbiddenError,
  VerigatorError,
  WrongCredentialsError,
} from '../errors/verigator.error';
import { buildVerigatorPath } from '../http/build-verigator-path';
import { VerigatorHttpClient } from '../http/verigator-http-client';
import { VERIGATOR_OPTIONS } from '../verigator.constants';
import { loadTerminus } from './load-terminus';

/** Why Verigator is reported down. */
export type VerigatorDownReason =
  'credentials rejected' | 'unreachable' | 'timeout' | 'service not found' | 'unexpected answer';

/** Options of one health check. */
export interface VerigatorHealthCheckOptions {
  /**
   * Milliseconds the probe may take (no retries).
   * @default 1000, or the module's `timeout` when shorter
   */
  timeout?: number;
  /**
   * Milliseconds a probe's outcome is reused for: checks within it, and checks made while a probe
   * runs, share that probe, so a flood of health requests makes one Verigator call per `maxAge`.
   * `0` probes on every check (concurrent checks still share one probe).
   * @default 5000
   */
  maxAge?: number;
}

/** A Terminus health indicator result: `{ [key]: { status: 'up' | 'down', ...details } }`. */
export type VerigatorHealthResult<Key extends string = string> = Record<
  Key,
  { status: 'up' | 'down'; [detail: string]: unknown }
>;

/** Service id probed when no `serviceId` is configured; a 404 for it still proves the API up. */
export const VERIGATOR_HEALTH_PROBE_ID = 'nestjs-verigator-health-probe';

const DEFAULT_HEALTH_TIMEOUT_MS = 1000;
const DEFAULT_HEALTH_MAX_AGE_MS = 5000;

/** One probe: when it started, whether it has ended, and its error (`undefined` when up). */
interface Probe {
  startedAt: number;
  running: boolean;
  outcome: Promise<unknown>;
}

/** What the indicator reads of the resolved module options. */
interface HealthSettings {
  serviceId?: string;
  timeout: number;
}

/**
 * A `@nestjs/terminus` health indicator for Verigator: one cheap authenticated call (GET the
 * configured `serviceId`, else a probe id) with a short timeout, no retries and outside the
 * circuit breakers (no probe changes what real calls see), its outcome reused for `maxAge`. Up
 * when it answers 2xx (or 404 for the probe id: the credentials were accepted, the id just does
 * not exist); down with a `reason` (credentials rejected, unreachable, timeout, service not
 * found, unexpected answer), the error `code` and, when it could not connect or timed out, the
 * endpoint's `host`; never credentials nor upstream text. Both
 * report each endpoint's circuit state, as real calls left it. Needs `@nestjs/terminus` 11+
 * (loaded on the first check).
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.verigator.isHealthy('verigator')]); }
 */
@Injectable()
export class VerigatorHealthIndicator {
  /** What the probe needs of the options; not the options object, which holds the password. */
  private readonly options: HealthSettings;
  /** The latest probe, shared by the checks within its `maxAge` and while it runs. */
  private latest?: Probe;

  constructor(
    private readonly client: VerigatorHttpClient,
    @Inject(VERIGATOR_OPTIONS) options: HealthSettings,
  ) {
    this.options = { serviceId: options.serviceId, timeout: options.timeout };
  }

  /**
   * Probes Verigator once.
   * @throws Error with an install hint when `@nestjs/terminus` is missing.
   */
  async isHealthy<const Key extends string = 'verigator'>(
    key: Key = 'verigator' as Key,
    check: VerigatorHealthCheckOptions = {},
  ): Promise<VerigatorHealthResult<Key>> {
    const indicator = new (loadTerminus().HealthIndicatorService)().check(key);
    const error = await this.probe(check);
    if (error !== undefined) {
      return indicator.down({
        reason: downReason(error),
        code: error instanceof VerigatorError ? error.code : 'UNKNOWN',
        ...failedHost(error),
        circuits: this.circuitStates(),
      }) as VerigatorHealthResult<Key>;
    }
    return indicator.up({ circuits: this.circuitStates() }) as VerigatorHealthResult<Key>;
  }

  /** Resolves to the latest probe's error (`undefined` when up), probing again when too old. */
  private probe(check: VerigatorHealthCheckOptions): Promise<unknown> {
    const now = Date.now();
    const maxAge = check.maxAge ?? DEFAULT_HEALTH_MAX_AGE_MS;
    if (this.latest && (this.latest.running || now - this.latest.startedAt < maxAge)) {
      return this.latest.outcome;
    }
    const serviceId = this.options.serviceId ?? VERIGATOR_HEALTH_PROBE_ID;
    const timeout = check.timeout ?? Math.min(DEFAULT_HEALTH_TIMEOUT_MS, this.options.timeout);
    const probe: Probe = { startedAt: now, running: true, outcome: Promise.resolve() };
    probe.outcome = this.client
      .probe(buildVerigatorPath(serviceId), { timeout })
      .then(
        () => undefined,
        (error: unknown) =>
          error instanceof NoSuchResourceError && this.options.serviceId === undefined
            ? undefined // the probe id does not exist, but the credentials were accepted
            : error,
      )
      .finally(() => (probe.running = false));
    this.latest = probe;
    return probe.outcome;
  }

  private circuitStates(): { endpoint: string; state: string }[] {
    return this.client.circuits.map(({ endpoint, state }) => ({ endpoint, state }));
  }
}

/** The endpoint's host a connection failure or timeout names (its cause's `hostname`), if any. */
function failedHost(error: unknown): { host?: string } {
  const hostname = ((error as Error).cause as { hostname?: unknown } | undefined)?.hostname;
  return typeof hostname === 'string' ? { host: hostname } : {};
}

function downReason(error: unknown): VerigatorDownReason {
  if (error instanceof WrongCredentialsError || error instanceof ResourceForbiddenError) {
    return 'credentials rejected';
  }
  if (error instanceof ConnectionError) return 'unreachable';
  if (error instanceof RequestTimeoutError) return 'timeout';
  if (error instanceof NoSuchResourceError) return 'service not found';
  return 'unexpected answer';
}
