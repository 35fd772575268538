// Writes the marked snippets of README.md and docs/*.md to files: each fenced block preceded by
// `<!-- snippet: NAME -->` goes to OUT_DIR/<path for NAME>. Fails when a snippet is missing, so a
// renamed or dropped example fails CI instead of silently not being checked, and when a marked
// snippet has no place here, so every marked snippet is compiled and run.
// Usage: node extract-readme-snippets.mjs README.md OUT_DIR (docs/ is read beside README.md)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import snippets from './readme-snippets.cjs';

/** Where each snippet lives in the consumer project. */
const SNIPPET_FILES = {
  configuration: 'src/app.module.ts',
  guard: 'src/account.controller.ts',
  'recovery-code-sql-store': 'src/sql-recovery-code.store.ts',
  testing: 'test/readme-testing.spec.ts',
  'vitest-config': 'vitest.config.ts',
  tsconfig: 'tsconfig.json',
};

const [readmePath, outDir] = process.argv.slice(2);
if (!readmePath || !outDir) {
  console.error('usage: node extract-readme-snippets.mjs README.md OUT_DIR');
  process.exit(2);
}
const found = snippets.readDocSnippets(readmePath);
for (const [name, { file }] of found) {
  if (!(name in SNIPPET_FILES)) {
    throw new Error(
      `snippet "${name}" in ${file} is not checked: give it a file in ${import.meta.filename}`,
    );
  }
}
for (const [name, file] of Object.entries(SNIPPET_FILES)) {
  const snippet = found.get(name);
  if (!snippet) throw new Error(`snippet "${name}" not found in README.md nor docs/*.md`);
  const target = join(outDir, file);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${snippet.code}\n`);
  console.log(`snippet "${name}" (${snippet.file}) -> ${file}`);
}
