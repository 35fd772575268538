import { describeForLog } from './log-verigator-error';

describe('describeForLog', () => {
  it('masks a secret in plain, JSON-escaped and percent-encoded form, and personal data', () => {
    const secret = 'to"ken\\1/2';
    const line =
      `plain ${secret} json ${JSON.stringify({ t: secret })} ` +
      `url ${encodeURIComponent(secret)} from alice@example.com`;
    const logged = describeForLog(line, [secret, undefined]);
    expect(logged).not.toContain('to"ken');
    expect(logged).not.toContain('to\\"ken');
    expect(logged).not.toContain('to%22ken');
    expect(logged).not.toContain('alice@');
    expect(logged).toContain('***');
  });
});
