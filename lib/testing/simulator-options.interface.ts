import type { SimulatorSeed } from './simulator-seed';

/** Options of `VerigatorSimulator.start()`. */
export interface VerigatorSimulatorOptions {
  /** TCP port; 0 picks a free one (read it back from `sim.port`). @default 0 */
  port?: number;
  /**
   * Interface to listen on. Anything but loopback exposes the unauthenticated control API to
   * the network. @default '127.0.0.1'
   */
  host?: string;
  /**
   * Host names (besides `localhost`, `*.localhost` and IP addresses) that requests may carry in
   * their `Host` header, e.g. a Docker Compose service name. Others get 403, which stops DNS
   * rebinding. @default []
   */
  allowedHosts?: readonly string[];
  /** Username expected in `X-Service-Auth`; must not contain `:`. @default 'demo' */
  username?: string;
  /** Password expected in `X-Service-Auth`; non-empty, may contain `:`. @default 'demo' */
  password?: string;
  /** How long an SMS code stays valid, in milliseconds. @default 300000 (5 minutes) */
  codeTtlMs?: number;
  /** Wrong SMS codes accepted before the code is throttled. @default 3 */
  maxVerifyAttempts?: number;
  /**
   * Status of successful creates. The docs say 201; the official Java client only accepts 200.
   * @default 201
   */
  createdStatus?: 200 | 201;
  /** Current time in epoch milliseconds, for `ctime`, code expiry and TOTP. @default Date.now */
  clock?: () => number;
  /**
   * Benchmarking mode: this token (4 to 12 digits) verifies any existing user, every time, with
   * no SMS sent and no state changed, so load tests measure the client, not the code bookkeeping.
   * Other tokens are judged as usual. Never set it outside benchmarks. @default undefined (off)
   */
  benchmarkToken?: string;
  /** Services and users to create at start and after every reset. */
  seed?: SimulatorSeed;
}
