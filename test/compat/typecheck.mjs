// Type-checks a consumer of the package in every TypeScript setup a Nest app may use, in the
// consumer project of run-compat.sh: moduleResolution node10, node16, nodenext and bundler; as an
// ESM file and as a CommonJS file (both in one program: their nearest package.json decides);
// skipLibCheck false and true. The consumer is consumer/typecheck-consumer.ts (`.` and
// `./testing`, with the README's lines only, so without the optional peers), or with
// `opentelemetry` consumer/typecheck-opentelemetry.ts (`./opentelemetry`, once its peer
// @opentelemetry/api is installed). node10 runs on the TypeScript given (TypeScript 7 removed
// node10), the others on the project's own TypeScript.
// Usage (in the consumer project): node typecheck.mjs NEST_MAJOR path/to/typescript5/bin/tsc [opentelemetry]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import console from 'node:console';
import process from 'node:process';

const [nestMajor, node10Tsc, entry = 'consumer'] = process.argv.slice(2);
if (!nestMajor || !node10Tsc || !['consumer', 'opentelemetry'].includes(entry)) {
  console.error('usage: node typecheck.mjs NEST_MAJOR path/to/typescript5/bin/tsc [opentelemetry]');
  process.exit(2);
}
const projectTsc = 'node_modules/typescript/bin/tsc';

/** A consumer file of each format: the folder's package.json gives its `type`. */
const dir = `typecheck-${entry}`;
for (const [format, type] of [
  ['esm', 'module'],
  ['cjs', 'commonjs'],
]) {
  mkdirSync(join(dir, format), { recursive: true });
  writeFileSync(join(dir, format, 'package.json'), JSON.stringify({ type }));
  copyFileSync(
    join(import.meta.dirname, 'consumer', `typecheck-${entry}.ts`),
    join(dir, format, 'consumer.ts'),
  );
}

/**
 * The setups: `formats` are the consumer files that can exist there. Under node16 a CommonJS
 * file cannot import the ESM-only Nest 12 at all (TS1479 in the app's own code); nodenext allows
 * it (require(esm)).
 */
const SETUPS = [
  { tsc: node10Tsc, moduleResolution: 'node10', module: 'commonjs', formats: ['cjs'] },
  {
    tsc: projectTsc,
    moduleResolution: 'node16',
    module: 'node16',
    formats: nestMajor >= 12 ? ['esm'] : ['esm', 'cjs'],
  },
  { tsc: projectTsc, moduleResolution: 'nodenext', module: 'nodenext', formats: ['esm', 'cjs'] },
  { tsc: projectTsc, moduleResolution: 'bundler', module: 'esnext', formats: ['esm'] },
];

const failures = [];
const versions = new Map();
let passed = 0;
for (const { tsc, moduleResolution, module, formats } of SETUPS) {
  if (!versions.has(tsc)) {
    versions.set(
      tsc,
      execFileSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).trim(),
    );
  }
  for (const skipLibCheck of [false, true]) {
    const name = `${moduleResolution} (${formats.join(' + ')}) skipLibCheck=${skipLibCheck}, ${versions.get(tsc)}`;
    const config = join(dir, `tsconfig.${moduleResolution}.${skipLibCheck}.json`);
    const compilerOptions = {
      module,
      moduleResolution,
      target: 'ES2022',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      skipLibCheck,
      noEmit: true,
      types: ['node'],
    };
    const files = formats.map((format) => `${format}/consumer.ts`);
    writeFileSync(config, JSON.stringify({ compilerOptions, files }));
    try {
      execFileSync(process.execPath, [tsc, '-p', config], { encoding: 'utf8' });
      console.log(`- ok: ${name}`);
      passed += 1;
    } catch (error) {
      failures.push(`${name}:\n${error.stdout}${error.stderr}`);
    }
  }
}
console.log(`Type-checked the consumer in ${passed} setups`);
if (failures.length > 0) {
  console.error(`${failures.length} setups failed:\n\n${failures.join('\n')}`);
  process.exit(1);
}
