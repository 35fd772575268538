import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { InMemoryRecoveryCodeStore } from './in-memory-recovery-code.store';
import { RecoveryCodeStore } from './recovery-code.store';
import { RecoveryCodes, normalise } from './recovery-codes';

const V1 = 'first-secret-of-at-least-32-characters';
const V2 = 'second-secret-of-at-least-32-characters';
const alice: RecoveryCodeStore.Owner = { serviceId: 'svc', userId: 'alice' };

describe('normalise', () => {
  it.each([
    ['7WQK-3M9D-HX2P-A4RT', '7WQK3M9DHX2PA4RT'],
    ['7wqk3m9dhx2pa4rt', '7WQK3M9DHX2PA4RT'],
    [' 7wqk 3m9d  hx2p a4rt ', '7WQK3M9DHX2PA4RT'],
    ['7WQK\u20133M9D\u00a0HX2P\u2212A4RT', '7WQK3M9DHX2PA4RT'],
    ['OIL0-1111-0000-ABCD', '011011110000ABCD'],
    ['oil0-1111-0000-abcd', '011011110000ABCD'],
  ])('reads %j as %s', (typed, code) => {
    expect(normalise(typed)).toBe(code);
  });

  it.each([
    '',
    '7WQK-3M9D-HX2P',
    '7WQK-3M9D-HX2P-A4RTX',
    '7WQK-3M9D-HX2P-A4RU',
    '7WQK_3M9D_HX2P_A4RT',
    '7WQK-3M9D-HX2P-A4R\u{1F600}',
    '-'.repeat(100) + '7WQK3M9DHX2PA4RT',
    '\ud800'.repeat(16),
  ])('rejects %j', (typed) => {
    expect(normalise(typed)).toBeUndefined();
  });
});

describe('RecoveryCodes', () => {
  const newCodes = (secrets: Record<string, string>, store = new InMemoryRecoveryCodeStore()) =>
    new RecoveryCodes({
      store,
      secrets: Object.entries(secrets).map(([version, secret]) => ({ version, secret })),
      count: 10,
    });

  it('makes 10 distinct codes of four groups of four base32 characters', async () => {
    const codes = await newCodes({ v1: V1 }).generate(alice);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes)
      expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('draws every character of the alphabet about equally often (80 random bits a code)', async () => {
    const recovery = newCodes({ v1: V1 });
    const seen = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      for (const code of await recovery.generate(alice)) {
        for (const c of code.replace(/-/g, '')) seen.set(c, (seen.get(c) ?? 0) + 1);
      }
    }
    expect(seen.size).toBe(32);
    // 16,000 characters: 500 expected per character; 5 standard deviations is about ±110.
    for (const count of seen.values()) expect(Math.abs(count - 500)).toBeLessThan(150);
  });

  it('stores only keyed hashes, under the newest secret', async () => {
    const store = new InMemoryRecoveryCodeStore();
    const replace = jest.spyOn(store, 'replace');
    const codes = await newCodes({ v2: V2, v1: V1 }, store).generate(alice);
    const stored = replace.mock.calls[0][1];
    const hmac = (code: string) =>
      'v2:' + createHmac('sha256', V2).update(code.replace(/-/g, '')).digest('base64url');
    expect(stored).toEqual(codes.map(hmac));
    expect(stored.join()).not.toMatch(new RegExp(codes[0].slice(0, 4)));
  });

  it('passes a code once, however it is typed', async () => {
    const recovery = newCodes({ v1: V1 });
    const [code, other] = await recovery.generate(alice);
    expect(await recovery.consume(alice, ` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(true);
    expect(await recovery.consume(alice, code)).toBe(false);
    expect(await recovery.consume({ ...alice, userId: 'bob' }, other)).toBe(false);
    expect(await recovery.remaining(alice)).toBe(9);
  });

  it('replaces an earlier set', async () => {
    const recovery = newCodes({ v1: V1 });
    const earlier = await recovery.generate(alice);
    await recovery.generate(alice);
    for (const code of earlier) expect(await recovery.consume(alice, code)).toBe(false);
    expect(await recovery.remaining(alice)).toBe(10);
  });

  it('keeps old codes working across a rotation, until their secret is removed', async () => {
    const store = new InMemoryRecoveryCodeStore();
    const [old, older] = await newCodes({ v1: V1 }, store).generate(alice);
    const rotated = newCodes({ v2: V2, v1: V1 }, store);
    expect(await rotated.consume(alice, old)).toBe(true);
    expect(await newCodes({ v2: V2 }, store).consume(alice, older)).toBe(false);
    const [fresh] = await rotated.generate(alice);
    expect(await newCodes({ v2: V2 }, store).consume(alice, fresh)).toBe(true);
  });

  it('asks the store nothing for a malformed code', async () => {
    const store = new InMemoryRecoveryCodeStore();
    const consume = jest.spyOn(store, 'consume');
    expect(await newCodes({ v1: V1 }, store).consume(alice, 'not-a-code')).toBe(false);
    expect(consume).not.toHaveBeenCalled();
  });

  it('moves codes to another user: they pass there, and no longer for the first', async () => {
    const recovery = newCodes({ v1: V1 });
    const [code] = await recovery.generate(alice);
    const bob = { ...alice, userId: 'bob' };
    await recovery.move(alice, bob);
    expect(await recovery.consume(alice, code)).toBe(false);
    expect(await recovery.consume(bob, code)).toBe(true);
    expect(await recovery.remaining(bob)).toBe(9);
  });

  it('clears', async () => {
    const recovery = newCodes({ v1: V1 });
    const [code] = await recovery.generate(alice);
    await recovery.clear(alice);
    expect(await recovery.remaining(alice)).toBe(0);
    expect(await recovery.consume(alice, code)).toBe(false);
  });
});

describe('RecoveryCodes under fuzzed input', () => {
  const store = new InMemoryRecoveryCodeStore();
  const recovery = new RecoveryCodes({
    store,
    secrets: [{ version: 'v1', secret: V1 }],
    count: 10,
  });
  let codes: string[];
  beforeAll(async () => {
    codes = await recovery.generate(alice);
  });

  it('never passes, nor throws on, text that is not a code of the user', async () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.stringMatching(/^[0-9A-Za-z -]{10,30}$/),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (typed) => {
        fc.pre(!codes.map((c) => c.replace(/-/g, '')).includes(normalise(typed) ?? ''));
        expect(await recovery.consume(alice, typed)).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(await recovery.remaining(alice)).toBe(10);
  });

  it('never passes a code with one character changed', async () => {
    const [code] = codes;
    const edit = fc.record({
      at: fc.integer({ min: 0, max: code.length - 1 }),
      by: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'),
    });
    await fc.assert(
      fc.asyncProperty(edit, async ({ at, by }) => {
        fc.pre(code[at] !== '-' && code[at] !== by);
        expect(await recovery.consume(alice, code.slice(0, at) + by + code.slice(at + 1))).toBe(
          false,
        );
      }),
      { numRuns: 200 },
    );
    expect(await recovery.remaining(alice)).toBe(10);
  });
});
