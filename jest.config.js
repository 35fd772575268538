/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/lib', '<rootDir>/test', '<rootDir>/sample'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  // Runs in a throwaway consumer project (test/compat/run-compat.sh), not here.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/compat/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^nestjs-verigator$': '<rootDir>/lib',
    '^nestjs-verigator/testing$': '<rootDir>/lib/testing',
  },
  testTimeout: 20000,
  // Jest's default leaves one core idle (one worker on a 2-core machine). The suites mostly wait on
  // loopback servers, so a worker per core halves the wall time (167 s -> 87 s on 2 cores).
  maxWorkers: '100%',
  // A worker that has run a dozen e2e files holds a heap of 300-500 MB (RSS ~700 MB); freeing it
  // after its 'exit' event takes about 500 ms on 2 busy cores, Jest's default here, so Jest killed
  // workers that were exiting on their own and printed "A worker process has failed to exit
  // gracefully". A worker kept alive by a leaked handle never exits: still caught, 2 s later.
  workerGracefulExitTimeout: 2_000,
};
