/*
 * Prints, one per line, the README's install commands for a Nest major: the fenced block after
 * `<!-- install: nest-<major> -->`, with the word `nestjs-verigator` replaced by the tarball to
 * install instead of the registry's version. run-compat.sh runs them as written otherwise.
 * Usage: node readme-install-lines.cjs README.md MAJOR TARBALL
 */
const { readFileSync } = require('node:fs');

const [readmePath, major, tarball] = process.argv.slice(2);
if (!readmePath || !major || !tarball) {
  console.error('usage: node readme-install-lines.cjs README.md MAJOR TARBALL');
  process.exit(2);
}
const readme = readFileSync(readmePath, 'utf8');
const marker = `<!-- install: nest-${major} -->`;
const block = new RegExp(`${marker}\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
if (!block) throw new Error(`README: no install block marked ${marker}`);
const lines = block[1]
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
for (const line of lines) {
  if (!line.startsWith('npm install '))
    throw new Error(`README ${marker}: not an npm install: ${line}`);
}
const words = lines.map((line) => line.split(/\s+/));
if (!words.some((line) => line.includes('nestjs-verigator'))) {
  throw new Error(`README ${marker}: no line installs nestjs-verigator`);
}
for (const line of words) {
  console.log(line.map((word) => (word === 'nestjs-verigator' ? tarball : word)).join(' '));
}
