import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { useSample } from '../utils/sample-app';
import { sendRequest } from '../utils/send-request';
import { contractViolation } from './verigator-request-contract';

const RUNS = 80;

/** Any JSON value, strings of any UTF-16 code units (lone surrogates included). */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string());
const field = fc.oneof(anyText, anyJson);
/** Strings a UTF-8 server cannot decode: lone surrogates. */
const loneSurrogates = fc.constantFrom('\ud800', 'x\udc00@example.com', 'ok\udbff');
/** What a header can carry: visible ASCII and spaces. */
const headerText = fc.string({ maxLength: 20 });

/** The deepest nesting the sample parses (`limitJsonDepth`'s default). */
const MAX_DEPTH = 64;
/** JSON text nested `depth` arrays or objects deep, alone or as a field of a plausible body. */
const deepJson = fc
  .record({
    depth: fc.oneof(
      fc.integer({ min: 0, max: 2 * MAX_DEPTH }),
      fc.integer({ min: 0, max: 60_000 }),
    ),
    open: fc.constantFrom('[', '{"a":', '[{"b":'),
    inField: fc.boolean(),
  })
  .map(({ depth, open, inField }) => {
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    const levels = open === '[{"b":' ? Math.ceil(depth / 2) : depth;
    const value = open.repeat(levels) + '1' + close.repeat(levels);
    const nesting = levels * (open === '[{"b":' ? 2 : 1) + (inField ? 1 : 0);
    const text = inField
      ? `{"username":"d@example.com","to":"bob","amount":1,"x":${value}}`
      : value;
    return { text, nesting };
  });
/** JSON text of any size up to three times the parsers' 100 KB: long strings, wide arrays and objects. */
const bigJson = fc
  .record({ kind: fc.constantFrom('string', 'array', 'object'), size: fc.nat(300_000) })
  .map(({ kind, size }) => {
    if (kind === 'string') return `{"username":"${'a'.repeat(size)}","to":"${'b'.repeat(size)}"}`;
    if (kind === 'array') return `[${'0,'.repeat(size / 2)}0]`;
    return `{${Array.from({ length: size / 10 }, (_, i) => `"k${i}":0`).join(',')}}`;
  });
/** A body too deep or too big, with its nesting. */
const tooDeepOrBig = fc.oneof(
  deepJson,
  bigJson.map((text) => ({ text, nesting: 0 })),
);

/**
 * Property-based fuzz of the sample's request bodies (and the code header): every answer is a
 * 2xx or a 4xx, never a 5xx; a refused body sends nothing to Verigator; and every request that
 * reached the simulator honours the API contract.
 */
describe.each(['express', 'fastify'] as const)(
  'the sample app on %s under fuzzed request bodies',
  (platform) => {
    const bed = useSample({ platform }, { listen: true });
    let signUps = 0;

    const sim = () => bed.sim;

    function expectContractKept(): void {
      for (const sent of sim().requests()) {
        const violation = contractViolation(sent);
        if (violation) throw new Error(`${violation}: ${sent.method} ${sent.path}`);
      }
    }

    /** Posts `body` as JSON text, whatever its type (supertest only sends objects). */
    function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
      return postText(path, JSON.stringify(body), headers);
    }

    function postText(path: string, text: string, headers: Record<string, string> = {}) {
      return sendRequest(
        (bed.http.address() as AddressInfo).port,
        'POST',
        path,
        { ...headers, 'Content-Type': 'application/json' },
        text,
      );
    }

    async function signUp(): Promise<{ verigatorId: string; apiKey: string }> {
      const n = signUps++;
      const res = await postJson('/users', {
        username: `fuzz${n}@example.com`,
        phoneNumber: `+3725${String(100000 + n)}`,
      });
      expect(res.status).toBe(201);
      return JSON.parse(res.body) as { verigatorId: string; apiKey: string };
    }

    it('POST /users answers 201, 400 or 409, and sends Verigator only valid users', () =>
      fc.assert(
        fc.asyncProperty(
          fc.oneof(
            anyJson,
            fc.record(
              {
                username: fc.oneof(fc.emailAddress(), field, loneSurrogates),
                phoneNumber: fc.oneof(fc.stringMatching(/^\+?[1-9][\d ()-.]{5,16}$/), field),
                extra: field,
              },
              { requiredKeys: [] },
            ),
          ),
          async (body) => {
            sim().reset();
            const res = await postJson('/users', body);
            expect([201, 400, 409]).toContain(res.status);
            if (res.status === 400) expect(sim().requests()).toEqual([]);
            expectContractKept();
          },
        ),
        { numRuns: RUNS, examples: [[{ username: 'x\ud800', phoneNumber: '+3725555000' }]] },
      ));

    it('POST /users answers 400 to a body that is not JSON, sending nothing', () =>
      fc.assert(
        fc.asyncProperty(anyText, async (raw) => {
          sim().reset();
          const res = await postText('/users', raw);
          expect([201, 400, 409]).toContain(res.status);
          if (res.status === 400) expect(sim().requests()).toEqual([]);
          expectContractKept();
        }),
        { numRuns: RUNS },
      ));

    it('POST /transfers answers 201 only with the code, else 400, 401 or 429, never a 5xx', () =>
      fc.assert(
        fc.asyncProperty(
          fc.oneof(
            anyJson,
            fc.record(
              {
                to: fc.oneof(fc.string({ maxLength: 120 }), field),
                amount: fc.oneof(fc.integer(), fc.double(), field),
              },
              { requiredKeys: [] },
            ),
          ),
          fc.oneof(fc.constant(undefined), fc.constant('the code'), headerText),
          async (body, tokenChoice) => {
            const account = await signUp();
            const post = (token?: string) => {
              const headers: Record<string, string> = { Authorization: `Bearer ${account.apiKey}` };
              if (token !== undefined) headers['X-Verigator-Token'] = token;
              return postJson('/transfers', body, headers);
            };
            const first = await post();
            // the JSON parser refuses a bare value (400) before any guard runs
            expect([400, 401]).toContain(first.status);
            if (first.status === 400) return;
            const code = sim().lastCode(account.verigatorId)!;
            const token = tokenChoice === 'the code' ? code : tokenChoice;
            const res = await post(token);
            if (res.status === 201) expect(token?.replace(/\s/g, '')).toBe(code);
            else expect([400, 401, 429]).toContain(res.status);
            expectContractKept();
          },
        ),
        { numRuns: RUNS },
      ));

    it('POST /users answers 400 to any nesting past the limit, 4xx to any size, never a 5xx', () =>
      fc.assert(
        fc.asyncProperty(tooDeepOrBig, async ({ text, nesting }) => {
          sim().reset();
          const res = await postText('/users', text);
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
          if (nesting > MAX_DEPTH) expect([400, 413]).toContain(res.status);
          if (res.status >= 400) expect(sim().requests()).toEqual([]);
        }),
        { numRuns: RUNS },
      ));

    it('POST /transfers with the code refuses a body too deep or too big, never using the code', () =>
      fc.assert(
        fc.asyncProperty(tooDeepOrBig, async ({ text, nesting }) => {
          const account = await signUp();
          const headers = { Authorization: `Bearer ${account.apiKey}` };
          expect((await postJson('/transfers', { to: 'bob', amount: 1 }, headers)).status).toBe(
            401,
          );
          const code = sim().lastCode(account.verigatorId)!;
          const withCode = { ...headers, 'X-Verigator-Token': code };
          const res = await postText('/transfers', text, withCode);
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
          if (nesting > MAX_DEPTH) expect([400, 413]).toContain(res.status);
          // refused while read, before the guard; a body the pipe refuses comes after the code
          if (nesting > MAX_DEPTH || res.status === 413) {
            const retry = await postJson('/transfers', { to: 'bob', amount: 1 }, withCode);
            expect(retry.status).toBe(201);
          }
        }),
        { numRuns: RUNS },
      ));
  },
);
