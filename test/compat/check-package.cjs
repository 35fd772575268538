/*
 * Checks the installed package as a user gets it: LICENSE, source maps whose sources are inlined,
 * and `exports`: each entry point's `import` is an ESM file typed by ESM declarations (`.mjs`,
 * `.d.mts`) and its `require` a CommonJS file typed by CommonJS ones (`.js`, `.d.ts`), `types`
 * first, every file there; and each declaration file has its ESM twin.
 */
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
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
assert.notEqual(pkg.type, 'module', 'dist/*.js and dist/*.d.ts are CommonJS');
const FORMATS = { import: ['.d.mts', '.mjs'], require: ['.d.ts', '.js'] };
const entries = Object.entries(pkg.exports).filter(([, target]) => typeof target === 'object');
for (const [entry, conditions] of entries) {
  assert.deepEqual(Object.keys(conditions), ['import', 'require'], `${entry}: import, require`);
  for (const [condition, [types, code]] of Object.entries(FORMATS)) {
    const target = conditions[condition];
    assert.deepEqual(
      Object.keys(target),
      ['types', 'default'],
      `${entry} ${condition}: types first`,
    );
    assert.ok(target.types.endsWith(types), `${entry} ${condition}: types in ${types}`);
    assert.ok(target.default.endsWith(code), `${entry} ${condition}: code in ${code}`);
    for (const file of Object.values(target)) {
      assert.ok(existsSync(join(root, file)), `${entry} ${condition}: ${file} is in the package`);
    }
  }
  const esm = readFileSync(join(root, conditions.import.default), 'utf8');
  assert.equal(
    esm,
    "export * from './index.js';\n",
    `${entry}: the ESM entry re-exports the CJS one`,
  );
}
const declarations = readdirSync(join(root, 'dist'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.d.ts'));
for (const file of declarations) {
  const twin = join(root, 'dist', file.replace(/\.d\.ts$/, '.d.mts'));
  assert.ok(existsSync(twin), `dist/${file} has its ESM twin`);
}
console.log(
  `Package checks passed (${maps.length} source maps, sources inlined; ${entries.length} entry ` +
    `points, import and require; ${declarations.length} declaration files, each with its ESM twin)`,
);
