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
};
