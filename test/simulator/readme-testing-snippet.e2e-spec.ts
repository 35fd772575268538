// Runs the README's testing snippet (section "In your tests"), extracted from README.md rather
// than copied, under Jest and ts-jest on Nest 11: the same file Vitest runs in the consumer
// projects of test/compat/run-compat.sh.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const load = createRequire(__filename);
const { readReadmeSnippets } = load('../compat/readme-snippets.cjs') as {
  readReadmeSnippets(readme: string): Map<string, string>;
};

const snippet = readReadmeSnippets(readFileSync(join(__dirname, '../../README.md'), 'utf8')).get(
  'testing',
);
if (snippet === undefined) throw new Error('README snippet "testing" not found');
// Inside the repository (git-ignored), so that its imports resolve like this file's.
const generated = join(__dirname, '..', '.generated');
mkdirSync(generated, { recursive: true });
const dir = mkdtempSync(join(generated, 'readme-testing-'));
writeFileSync(join(dir, 'readme-testing.ts'), snippet);
// Loading it registers its hooks and its test in this file's suite.
load(join(dir, 'readme-testing.ts'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
