/* Checks the installed package as a user gets it: LICENSE, source maps whose sources are inlined. */
const assert = require('node:assert/strict');
const { existsSync, readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(process.cwd(), 'node_modules', 'nestjs-verigator');
assert.ok(existsSync(join(root, 'LICENSE')), 'the package ships LICENSE');
assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /MIT License/);

const maps = readdirSync(join(root, 'dist'), { recursive: true }).filter((f) =>
  String(f).endsWith('.js.map'),
);
assert.ok(maps.length > 10, 'the package ships source maps');
for (const file of maps) {
  const map = JSON.parse(readFileSync(join(root, 'dist', String(file)), 'utf8'));
  map.sources.forEach((source, i) => {
    const content = map.sourcesContent?.[i];
    assert.ok(
      typeof content === 'string' && content.length > 0,
      `dist/${file}: the source ${source} is inlined`,
    );
  });
}
console.log(`Package checks passed (${maps.length} source maps, sources inlined)`);
