import { IoredisClient } from './load-ioredis';
import { TwoFactorStoreError } from './two-factor-store.error';

/** Client statuses of a first connection (`wait`: lazyConnect, connects on the first command). */
const FIRST_CONNECTION_STATUSES: ReadonlySet<string> = new Set(['wait', 'connecting', 'connect']);

/**
 * Sends a Redis store's commands: each within `commandTimeout`, failing with
 * `TwoFactorStoreError` (its message names the operation, never a key nor a value). Once the
 * client has been ready, it refuses to queue commands while the client reconnects, so none runs
 * late, after its request was answered.
 */
export class RedisCommands {
  /** Whether the client was seen ready: from then on, a client not ready means an outage. */
  private wasReady = false;

  constructor(
    private readonly client: Pick<IoredisClient, 'status'>,
    private readonly commandTimeout: number,
    store: string,
  ) {
    if (!(Number.isFinite(commandTimeout) && commandTimeout > 0)) {
      throw new RangeError(`${store} commandTimeout must be a positive number of ms`);
    }
  }

  /** Runs `command`, named `operation` (e.g. `GET`) in errors. */
  async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    const status = this.client.status;
    if (status === 'ready') this.wasReady = true;
    else if (this.wasReady || !FIRST_CONNECTION_STATUSES.has(status)) {
      throw new TwoFactorStoreError(`Redis ${operation} not sent: the client is ${status}`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TwoFactorStoreError(`Redis ${operation} timed out after ${this.commandTimeout} ms`),
          ),
        this.commandTimeout,
      );
    });
    try {
      return await Promise.race([command(), timeout]);
    } catch (error) {
      if (error instanceof TwoFactorStoreError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new TwoFactorStoreError(`Redis ${operation} failed: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
