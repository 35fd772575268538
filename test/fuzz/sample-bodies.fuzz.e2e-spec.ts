import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { SampleApp, createSampleApp } from '../../sample/sample-bootstrap';
import { sendRequest } from '../utils/send-request';
import { contractViolation } from './verigator-request-contract';

/** The sample's per-IP throttling would answer most of this one client's requests with 429. */
const NO_RATE_LIMITS = {
  signUp: { limit: 1_000_000, ttlMs: 60_000 },
  twoFactor: { limit: 1_000_000, ttlMs: 60_000 },
};

const RUNS = 80;

/** Any JSON value, strings of any UTF-16 code units (lone surrogates included). */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string());
const field = fc.oneof(anyText, anyJson);
/** Strings a UTF-8 server cannot decode: lone surrogates. */
const loneSurrogates = fc.constantFrom('\ud800', 'x\udc00@example.com', 'ok\udbff');
/** What a header can carry: visible ASCII and spaces. */
const headerText = fc.string({ maxLength: 20 });

/**
 * Property-based fuzz of the sample's request bodies (and the code header): every answer is a
 * 2xx or a 4xx, never a 5xx; a refused body sends nothing to Verigator; and every request that
 * reached the simulator honours the API contract.
 */
describe('the sample app under fuzzed request bodies', () => {
  let sample: SampleApp;
  let port: number;
  let signUps = 0;

  beforeAll(async () => {
    sample = await createSampleApp({ port: 0, timeoutMs: 2000, rateLimits: NO_RATE_LIMITS }, false);
    await sample.app.listen(0, '127.0.0.1');
    port = (sample.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => sample.close());

  const sim = () => sample.simulator!;

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
      port,
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
});
