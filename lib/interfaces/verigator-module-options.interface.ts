/** Options of `VerigatorModule.forRoot()` and of the factory given to `forRootAsync()`. */
export interface VerigatorModuleOptions {
  /** Messente API username. */
  username: string;
  /** Messente API password. Never logged nor included in errors. */
  password: string;
  /**
   * Base URL of the Verigator API (http or https), without the `/v1/...` path.
   * @default 'https://api.verigator.com'
   */
  endpoint?: string;
  /**
   * Milliseconds a call may take before it fails with `RequestTimeoutError`.
   * @default 5000
   */
  timeout?: number;
  /** The Verigator service id used when a route does not name one (by the guard). */
  serviceId?: string;
}

/** Module options after validation, with every default applied. */
export interface ResolvedVerigatorOptions extends VerigatorModuleOptions {
  endpoint: string;
  timeout: number;
}
