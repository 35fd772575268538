// An ESM consumer (`import`) gets the same API as a CommonJS one (`require`): the same names from
// both entry points, and the same objects (one VerigatorModule class, not two copies).
import assert from 'node:assert/strict';
import console from 'node:console';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Not API: the CommonJS interop marker, and what Node adds to the ESM view of a CommonJS module. */
const INTEROP = new Set(['__esModule', 'default', 'module.exports']);
for (const entry of [
  'nestjs-verigator',
  'nestjs-verigator/testing',
  'nestjs-verigator/opentelemetry',
]) {
  const cjs = require(entry);
  const esm = await import(entry);
  const names = Object.keys(cjs).filter((name) => !INTEROP.has(name));
  assert.deepEqual(
    Object.keys(esm)
      .filter((name) => !INTEROP.has(name))
      .sort(),
    names.sort(),
    `${entry}: import gives the names require gives`,
  );
  for (const name of names) assert.equal(esm[name], cjs[name], `${entry}: ${name} is one object`);
  console.log(`${entry}: import and require give the same ${names.length} exports`);
}
