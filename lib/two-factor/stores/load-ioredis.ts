import type * as IORedis from 'ioredis';

/**
 * Loads the optional peer `ioredis` at the moment it is needed, so that apps without Redis never
 * load it.
 * @throws Error saying which package to install when it is missing.
 */
export function loadIoredis(): typeof IORedis {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('ioredis') as typeof IORedis;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      'RedisTwoFactorStore.connect() needs the "ioredis" package: run `npm install ioredis`',
      { cause: error },
    );
  }
}
