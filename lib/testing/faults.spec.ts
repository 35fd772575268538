import { FaultQueue, MAX_FAULTS, MAX_FAULT_BYTES, normalizeFault } from './faults';
import { parseTarget } from './http-io';
import { SimulatorError } from './simulator-error';

describe('fault probability', () => {
  it('applies a fault only to requests whose draw falls below its probability', () => {
    const draws = [0.5, 0.05, 0.2, 0.09];
    const queue = new FaultQueue(() => draws.shift()!);
    queue.add(normalizeFault({ status: 503, probability: 0.1, times: 5 }));
    const taken = [1, 2, 3, 4].map(() => queue.take('GET', ['v1', 'x'])?.status);
    expect(taken).toEqual([undefined, 503, undefined, 503]);
    expect(queue.list()).toEqual([expect.objectContaining({ remaining: 3, probability: 0.1 })]);
  });

  it('gives a steady rate with the default random source', () => {
    const queue = new FaultQueue();
    queue.add(normalizeFault({ reset: true, probability: 0.25, times: 1_000_000 }));
    let faulted = 0;
    for (let i = 0; i < 4000; i++) if (queue.take('POST', ['v1', 'x'])) faulted++;
    // 4000 draws at 25%: 1000 expected, standard deviation about 27
    expect(faulted).toBeGreaterThan(850);
    expect(faulted).toBeLessThan(1150);
  });

  it('lets a request without draw through to the next matching fault', () => {
    const queue = new FaultQueue(() => 0.9);
    queue.add(normalizeFault({ status: 500, probability: 0.5 }));
    queue.add(normalizeFault({ status: 502 }));
    expect(queue.take('GET', [''])?.status).toBe(502);
    expect(queue.list()).toHaveLength(1);
  });

  it.each([0, -0.1, 1.5, '0.5', Number.NaN])('refuses probability %p', (probability) => {
    expect(() => normalizeFault({ status: 500, probability })).toThrow(SimulatorError);
    expect(() => normalizeFault({ status: 500, probability })).toThrow('probability');
  });
});

describe('fault repeat', () => {
  it('repeats a string body; the fault stays small', () => {
    const fault = normalizeFault({ body: 'x', repeat: 2 * MAX_FAULT_BYTES });
    expect(fault).toMatchObject({ status: 500, body: 'x', repeat: 2 * MAX_FAULT_BYTES });
    expect(() => new FaultQueue().add(fault)).not.toThrow();
  });

  it.each([
    [{ status: 200, repeat: 2 }, 'a string body'],
    [{ status: 200, body: { a: 1 }, repeat: 2 }, 'a string body'],
    [{ status: 200, body: 'x', repeat: 0 }, 'repeat must be'],
    [{ status: 200, body: 'x', repeat: 1.5 }, 'repeat must be'],
    [{ status: 200, body: 'xx', repeat: 33 * 1024 * 1024 }, '64 MiB'],
  ])('refuses %j', (input, message) => {
    expect(() => normalizeFault(input)).toThrow(message);
  });
});

describe('fault paths: exact segments, `*` for one segment, `**` for any number', () => {
  const AUTH = '/v1/service/service/svc/users/alice/auth';
  const USER = '/v1/service/service/svc/users/alice';

  function matches(pattern: string, path: string): boolean {
    const queue = new FaultQueue();
    queue.add(normalizeFault({ path: pattern, status: 500 }));
    return queue.take('GET', parseTarget(path).segments) !== undefined;
  }

  it.each([
    [USER, USER, true],
    [USER, AUTH, false],
    [USER, '/v1/service/service/svc/users', false],
    [USER, `${USER}/`, false],
    ['/v1/service/service/*/users/*/auth', AUTH, true],
    ['/v1/service/service/*/users/*/auth', USER, false],
    ['/v1/service/service/*/users/*/auth', '/v1/service/service/svc/users//auth', false],
    ['/**/auth', AUTH, true],
    ['/**/auth', `${AUTH}/more`, false],
    ['/**/auth', '/v1/authx', false],
    ['/**/auth', '/auth', true],
    ['/**/users/*', USER, true],
    ['/**/users/*', AUTH, false],
    ['/**/users/*', '/v1/service/service/svc/users', false],
    ['/v1/**', '/v1', true],
    ['/v1/**', AUTH, true],
    ['/v1/**', '/v2/service/service', false],
    ['/v1/**/auth', AUTH, true],
    ['/v1/**/auth', '/v2/users/auth', false],
    ['/**', '/', true],
    ['/**', AUTH, true],
    ['/**/users/a b', '/v1/service/service/svc/users/a%20b', true],
    ['/**/users/a%20b', '/v1/service/service/svc/users/a%20b', true],
    ['/**/users/a%2Fb', '/v1/service/service/svc/users/a%2Fb', true],
    ['/**/users/a/b', '/v1/service/service/svc/users/a%2Fb', false],
  ])('%s against %s: %p', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it.each([
    ['auth', 'start with /', undefined],
    ['^/v1/', 'start with /', undefined],
    ['/auth$', 'not a regular expression', undefined],
    ['/users/[^/]+$', 'not a regular expression', undefined],
    ['/users/.+', 'not a regular expression', undefined],
    ['/(a+)+', 'not a regular expression', undefined],
    ['/users/.*', 'whole segments', undefined],
    ['/users/a*', 'whole segments', undefined],
    ['/**/users/**', 'one **', undefined],
    ['/%zz', 'percent-encoding', undefined],
    ['a{1000} x 1000 (7 KB)', '1024 characters', 'a{1000}'.repeat(1000)],
    ['/ and 1024 x', '1024 characters', `/${'x'.repeat(1024)}`],
  ])('refuses %s, naming path (%s)', (name, reason, long) => {
    const path = long ?? name;
    expect(() => normalizeFault({ path, status: 500 })).toThrow(SimulatorError);
    expect(() => normalizeFault({ path, status: 500 })).toThrow(/^path /);
    expect(() => normalizeFault({ path, status: 500 })).toThrow(reason);
  });

  it('accepts the longest pattern, made of nothing but wildcards', () => {
    const path = `/**${'/*'.repeat(510)}`;
    expect(path.length).toBe(1023);
    const queue = new FaultQueue();
    queue.add(normalizeFault({ path, status: 500 }));
    expect(
      queue.take('GET', parseTarget(`/${Array(600).fill('a').join('/')}`).segments)?.status,
    ).toBe(500);
  });
});

describe('pending faults are capped in count and bytes', () => {
  it(`holds at most ${MAX_FAULTS} faults, then refuses with 409 until one is used`, () => {
    const queue = new FaultQueue();
    for (let i = 0; i < MAX_FAULTS; i++) queue.add(normalizeFault({ status: 500 }));
    expect(() => queue.add(normalizeFault({ status: 502 }))).toThrow(
      expect.objectContaining({ status: 409, message: expect.stringContaining('full') }),
    );
    expect(queue.list()).toHaveLength(MAX_FAULTS);
    queue.take('GET', ['v1']);
    queue.add(normalizeFault({ status: 502 }));
    expect(queue.list().at(-1)?.status).toBe(502);
  });

  it(`holds at most ${MAX_FAULT_BYTES} bytes of faults (as listed), then refuses with 409`, () => {
    const queue = new FaultQueue();
    const big = { status: 500, body: 'x'.repeat(MAX_FAULT_BYTES * 0.6) };
    queue.add(normalizeFault(big));
    expect(() => queue.add(normalizeFault(big))).toThrow(
      expect.objectContaining({ status: 409, message: expect.stringContaining('bytes') }),
    );
    expect(Buffer.byteLength(JSON.stringify(queue.list()))).toBeLessThan(MAX_FAULT_BYTES);
    queue.take('GET', ['v1']);
    queue.add(normalizeFault(big));
    queue.clear();
    queue.add(normalizeFault(big));
    expect(queue.list()).toHaveLength(1);
  });

  it('refuses one fault larger than the whole budget', () => {
    const queue = new FaultQueue();
    expect(() =>
      queue.add(normalizeFault({ status: 500, body: { text: 'é'.repeat(MAX_FAULT_BYTES) } })),
    ).toThrow(expect.objectContaining({ status: 409 }));
    expect(queue.list()).toEqual([]);
  });
});
