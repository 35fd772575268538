/** The part of `@nestjs/terminus` (11 or later) the health indicator uses. */
export interface TerminusHealthIndicators {
  HealthIndicatorService: new () => {
    check(key: string): {
      up(data?: Record<string, unknown>): Record<string, Record<string, unknown>>;
      down(data?: Record<string, unknown>): Record<string, Record<string, unknown>>;
    };
  };
}

/**
 * Loads `@nestjs/terminus` when a health check first runs, so apps that never use the health
 * indicator need not install it.
 * @throws Error saying which package to install when it is missing.
 */
export function loadTerminus(): TerminusHealthIndicators {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@nestjs/terminus') as TerminusHealthIndicators;
  } catch (error) {
    throw new Error(
      'VerigatorHealthIndicator needs the optional peer dependency @nestjs/terminus (11 or ' +
        'later): npm install @nestjs/terminus',
      { cause: error },
    );
  }
}
