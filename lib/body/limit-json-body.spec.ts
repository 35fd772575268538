import { JsonDepthScanner } from './limit-json-body';

/** The deepest nesting `JSON.parse` sees in `text`, iteratively. */
function parsedDepth(text: string): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[JSON.parse(text), 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Whether the scanner lets the text through at `maxDepth`, fed in the given pieces. */
function passes(maxDepth: number, ...pieces: (string | Uint8Array)[]): boolean {
  const scanner = new JsonDepthScanner(maxDepth);
  return pieces.every((piece) => scanner.push(Buffer.from(piece)));
}

const CORPUS = [
  '1',
  '"[[[{{{"',
  '[]',
  '[[1],[2,[3]]]',
  '{"a":{"b":[{"c":"]]]}}}"}]}}',
  '{"\\"[":["\\\\",["\\\\\\"{{"]]}',
  '["\\u005b\\u007b", {"k": "é[ü{"}]',
  '[{}, {"a": []}, [[[]]]]',
  ' { "x" : [ 1 , { "y" : [ ] } ] } ',
];

describe('JsonDepthScanner', () => {
  it.each(CORPUS)('measures %s as JSON.parse does, however the bytes are split', (text) => {
    const depth = parsedDepth(text);
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const split = (maxDepth: number) =>
        passes(maxDepth, bytes.subarray(0, cut), bytes.subarray(cut));
      expect([split(depth), split(depth + 1)]).toEqual([true, true]);
      if (depth > 0) expect(split(depth - 1)).toBe(false);
    }
  });

  it('stops at the first byte past the maximum, without reading the rest', () => {
    expect(passes(3, '[[[', '[')).toBe(false);
    expect(passes(3, '[[[]]]', '[[[]]]')).toBe(true);
    expect(passes(2, '{"a":{"b":', '{')).toBe(false);
  });
});
