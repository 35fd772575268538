// Writes the README's marked snippets to files: each fenced block preceded by
// `<!-- snippet: NAME -->` goes to OUT_DIR/<path for NAME>. Fails when a snippet is missing, so a
// renamed or dropped README example fails CI instead of silently not being checked.
// Usage: node extract-readme-snippets.mjs README.md OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import snippets from './readme-snippets.cjs';

/** Where each README snippet lives in the consumer project. */
const SNIPPET_FILES = {
  configuration: 'src/app.module.ts',
  guard: 'src/account.controller.ts',
  testing: 'test/readme-testing.spec.ts',
  'vitest-config': 'vitest.config.ts',
  tsconfig: 'tsconfig.json',
};

const [readmePath, outDir] = process.argv.slice(2);
if (!readmePath || !outDir) {
  console.error('usage: node extract-readme-snippets.mjs README.md OUT_DIR');
  process.exit(2);
}
const found = snippets.readReadmeSnippets(readFileSync(readmePath, 'utf8'));
for (const [name, file] of Object.entries(SNIPPET_FILES)) {
  if (!found.has(name)) throw new Error(`README snippet "${name}" not found`);
  const target = join(outDir, file);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${found.get(name)}\n`);
  console.log(`README snippet "${name}" -> ${file}`);
}
