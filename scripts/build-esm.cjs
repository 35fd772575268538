/*
 * After tsc, the ESM face of the package, for the `import` condition of `exports`:
 * - `dist/<entry>/index.mjs` for each entry point re-exports the CommonJS build: one runtime, so
 *   one copy of every class and token however an app loads it (no dual-package hazard).
 * - Every `.d.ts` gets an ESM twin `.d.mts` whose relative imports name the twins (`./x.mjs`).
 *   Under moduleResolution node16/nodenext an ESM consumer type-checks these: CommonJS
 *   declarations importing the ESM-only Nest 12 fail there with TS1479 when skipLibCheck is false.
 * Usage: node scripts/build-esm.cjs [dist]
 */
const { existsSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const dist = resolve(process.argv[2] ?? 'dist');
const pkg = require('../package.json');

/** A relative specifier of `from` or `import()`: `./x`, `../x/y`, `.`. */
const RELATIVE = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}(?:\/[^'"]*)?)\2/g;
let twins = 0;
for (const file of readdirSync(dist, { recursive: true }).map(String)) {
  if (!file.endsWith('.d.ts')) continue;
  const path = join(dist, file);
  const text = readFileSync(path, 'utf8').replace(RELATIVE, (_, keyword, quote, specifier) => {
    const target = resolve(dirname(path), specifier);
    const twin = existsSync(`${target}.d.ts`)
      ? `${specifier}.mjs`
      : existsSync(join(target, 'index.d.ts'))
        ? `${specifier}/index.mjs`
        : undefined;
    if (!twin) throw new Error(`${file}: cannot resolve ${specifier}`);
    return `${keyword}${quote}${twin}${quote}`;
  });
  writeFileSync(path.replace(/\.d\.ts$/, '.d.mts'), text);
  twins += 1;
}
for (const [entry, conditions] of Object.entries(pkg.exports)) {
  if (typeof conditions === 'string') continue; // ./package.json
  const esm = join(dist, '..', conditions.import.default);
  writeFileSync(esm, "export * from './index.js';\n");
  for (const file of [esm, conditions.import.types, conditions.require.default]) {
    if (!existsSync(resolve(dist, '..', file))) throw new Error(`${entry}: ${file} is missing`);
  }
}

console.log(`ESM entry points and ${twins} ESM declaration files written`);
