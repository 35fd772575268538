/**
 * The part of an ioredis `Redis` or `Cluster` that the Redis stores use. Declared here rather
 * than imported from `ioredis`, so that the package's type declarations compile in apps that do
 * not install the optional peer.
 */
export interface IoredisClient {
  /** `wait`, `connecting`, `connect`, `ready`, `reconnecting`, `end`, … */
  readonly status: string;
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  set(key: string, value: string, expiry: 'PX', milliseconds: number): Promise<unknown>;
  set(key: string, value: string, expiry: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
  srem(key: string, ...members: string[]): Promise<number>;
  scard(key: string): Promise<number>;
  smembers(key: string): Promise<string[]>;
  disconnect(): void;
}

/** What `loadIoredis()` returns: the `Redis` constructor. */
interface IoredisModule {
  Redis: new (url: string, options: object) => IoredisClient;
}

/**
 * Loads the optional peer `ioredis` at the moment it is needed, so that apps without Redis never
 * load it.
 * @param caller what needs it, for the message, e.g. `RedisTwoFactorStore.connect()`
 * @throws Error saying which package to install when it is missing.
 */
export function loadIoredis(caller: string): IoredisModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('ioredis') as IoredisModule;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`${caller} needs the "ioredis" package: run \`npm install ioredis\``, {
      cause: error,
    });
  }
}

/**
 * A new ioredis client for `url` for a store's `connect()`: `redis` (ioredis `RedisOptions`)
 * merged over the stores' own (`autoResendUnfulfilledCommands: false`: nothing runs late).
 */
export function createIoredisClient(url: string, redis: object | undefined, caller: string) {
  const { Redis } = loadIoredis(caller);
  return new Redis(url, { autoResendUnfulfilledCommands: false, ...redis });
}
