// Every relative link of the README, the changelog, BENCHMARKS.md and docs/*.md leads to a file
// that exists and, with a #fragment, to a heading that exists (GitHub's anchor rules), so moving
// a section or renaming a heading cannot leave a dead link behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '../..');
const pages = [
  'README.md',
  'CHANGELOG.md',
  'BENCHMARKS.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^(`{3,})[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of markdown
    .replace(/^(`{3,})[\s\S]*?^\1/gm, '')
    .matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Every relative link target of a page: `[text](target)` and `![alt](target)`. */
function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)]
    .map(([, target]) => target)
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

describe('documentation links', () => {
  it.each(pages)('%s: every relative link resolves', (page) => {
    const dead: string[] = [];
    for (const target of links(readFileSync(join(root, page), 'utf8'))) {
      const [path, fragment] = target.split('#');
      const file = path ? join(root, dirname(page), decodeURIComponent(path)) : join(root, page);
      if (!existsSync(file)) {
        dead.push(`${target} (no file ${relative(root, file)})`);
      } else if (fragment !== undefined && file.endsWith('.md')) {
        if (!anchors(readFileSync(file, 'utf8')).has(fragment)) {
          dead.push(`${target} (no heading #${fragment} in ${relative(root, file)})`);
        }
      }
    }
    expect(dead).toEqual([]);
  });
});
