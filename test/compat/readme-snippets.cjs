/* Reads the marked snippets of the README and docs/*.md: each fenced block preceded by `<!-- snippet: NAME -->`. */
const { readdirSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const SNIPPET = /<!-- snippet: ([\w-]+) -->\s*```\w*\n([\s\S]*?)\n```/g;

/**
 * The snippets of one Markdown text by name.
 * @param {string} readme the Markdown text
 * @returns {Map<string, string>}
 * @throws Error when a name is marked twice
 */
function readReadmeSnippets(readme) {
  const found = new Map();
  for (const [, name, code] of readme.matchAll(SNIPPET)) {
    if (found.has(name)) throw new Error(`README snippet "${name}" is marked twice`);
    found.set(name, code);
  }
  return found;
}

/**
 * The snippets of the README and of every docs/*.md beside it, by name.
 * @param {string} readmePath path of README.md; docs/ is looked up in its folder
 * @returns {Map<string, { code: string, file: string }>}
 * @throws Error when a name is marked twice, in one file or across files
 */
function readDocSnippets(readmePath) {
  const docs = join(dirname(readmePath), 'docs');
  const files = [
    readmePath,
    ...readdirSync(docs)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => join(docs, name)),
  ];
  const found = new Map();
  for (const file of files) {
    for (const [name, code] of readReadmeSnippets(readFileSync(file, 'utf8'))) {
      const earlier = found.get(name);
      if (earlier) throw new Error(`snippet "${name}" is marked in ${earlier.file} and ${file}`);
      found.set(name, { code, file });
    }
  }
  return found;
}

module.exports = { readReadmeSnippets, readDocSnippets };
