/* Reads the README's marked snippets: each fenced block preceded by `<!-- snippet: NAME -->`. */
const SNIPPET = /<!-- snippet: ([\w-]+) -->\s*```\w*\n([\s\S]*?)\n```/g;

/**
 * The README's snippets by name.
 * @param {string} readme the README's text
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

module.exports = { readReadmeSnippets };
