// Type-checks consumer/typecheck-consumer.ts in every TypeScript setup a Nest app may use, in the
// consumer project of run-compat.sh (the packed package installed with the README's lines only, so
// without the optional peers ioredis and @nestjs/terminus): moduleResolution node10, node16,
// nodenext and bundler; as an ESM file and as a CommonJS file (both in one program: their nearest
// package.json decides); skipLibCheck false and true. node10 runs on the TypeScript given as
// TS_NODE10 (TypeScript 7 removed node10), the others on the project's own TypeScript.
// Usage (in the consumer project): node typecheck.mjs NEST_MAJOR path/to/typescript5/bin/tsc
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import console from 'node:console';
import process from 'node:process';

const [nestMajor, node10Tsc] = process.argv.slice(2);
if (!nestMajor || !node10Tsc) {
  console.error('usage: node typecheck.mjs NEST_MAJOR path/to/typescript5/bin/tsc');
  process.exit(2);
}
const projectTsc = 'node_modules/typescript/bin/tsc';

/** A consumer file of each format: the folder's package.json gives its `type`. */
const dir = 'typecheck';
for (const [format, type] of [
  ['esm', 'module'],
  ['cjs', 'commonjs'],
]) {
  mkdirSync(join(dir, format), { recursive: true });
  writeFileSync(join(dir, format, 'package.json'), JSON.stringify({ type }));
  copyFileSync(
    join(import.meta.dirname, 'consumer', 'typecheck-consumer.ts'),
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

/**
 * Known gaps, each with its reason. Nest 12 under node16 with skipLibCheck false: our
 * declarations are CommonJS and import the ESM-only @nestjs/common (TS1479); only an ESM build
 * of the declarations would change that. skipLibCheck true (Nest's templates) and nodenext pass.
 */
const KNOWN_GAPS = new Map([
  ['12 node16 false', 'CommonJS declarations importing the ESM-only Nest 12 (TS1479)'],
]);

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
    const gap = KNOWN_GAPS.get(`${nestMajor} ${moduleResolution} ${skipLibCheck}`);
    if (gap) {
      console.log(`- known gap, not checked: ${name}: ${gap}`);
      continue;
    }
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
