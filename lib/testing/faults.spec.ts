import { FaultQueue, normalizeFault } from './faults';
import { SimulatorError } from './simulator-error';

describe('fault probability', () => {
  it('applies a fault only to requests whose draw falls below its probability', () => {
    const draws = [0.5, 0.05, 0.2, 0.09];
    const queue = new FaultQueue(() => draws.shift()!);
    queue.add(normalizeFault({ status: 503, probability: 0.1, times: 5 }));
    const taken = [1, 2, 3, 4].map(() => queue.take('GET', '/v1/x')?.status);
    expect(taken).toEqual([undefined, 503, undefined, 503]);
    expect(queue.list()).toEqual([expect.objectContaining({ remaining: 3, probability: 0.1 })]);
  });

  it('gives a steady rate with the default random source', () => {
    const queue = new FaultQueue();
    queue.add(normalizeFault({ reset: true, probability: 0.25, times: 1_000_000 }));
    let faulted = 0;
    for (let i = 0; i < 4000; i++) if (queue.take('POST', '/v1/x')) faulted++;
    // 4000 draws at 25%: 1000 expected, standard deviation about 27
    expect(faulted).toBeGreaterThan(850);
    expect(faulted).toBeLessThan(1150);
  });

  it('lets a request without draw through to the next matching fault', () => {
    const queue = new FaultQueue(() => 0.9);
    queue.add(normalizeFault({ status: 500, probability: 0.5 }));
    queue.add(normalizeFault({ status: 502 }));
    expect(queue.take('GET', '/')?.status).toBe(502);
    expect(queue.list()).toHaveLength(1);
  });

  it.each([0, -0.1, 1.5, '0.5', Number.NaN])('refuses probability %p', (probability) => {
    expect(() => normalizeFault({ status: 500, probability })).toThrow(SimulatorError);
    expect(() => normalizeFault({ status: 500, probability })).toThrow('probability');
  });
});
