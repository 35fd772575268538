// Simulates an app without the optional peer: loading @opentelemetry/api fails.
jest.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find module '@opentelemetry/api'");
});

import { instrumentVerigator } from '../../lib/opentelemetry';

describe('without @opentelemetry/api installed', () => {
  it('the subpath loads, and instrumentVerigator says what to install', () => {
    expect(() => instrumentVerigator()).toThrow('npm install @opentelemetry/api');
  });
});
