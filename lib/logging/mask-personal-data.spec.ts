import { describeForLog } from './log-verigator-error';

/** A user's token, the README's API password (`demo`) and a long password, as logs get them. */
const SECRETS = ['482913', 'demo', 's3cr3t-P4ssw0rd'];

/**
 * One corpus, both directions: each line with what the log must show. A line shown unchanged is
 * one that must not be masked (no personal datum nor secret in it, only things that look alike).
 */
const CORPUS: [string, string][] = [
  // Phone numbers, however written.
  ['to +3725555555 now', 'to +372****555 now'],
  ['to +372 5555 555.', 'to +372****555.'],
  ['call +1 (415) 555-2671', 'call +141****671'],
  ['msisdn 37255555555', 'msisdn 372****555'],
  ['{"phone_number":"+4401234567"}', '{"phone_number":"+440****567"}'],
  ['to 00372 5555 9999', 'to +372****999'],
  ['to 372 5555 9999', 'to 372****999'],
  ['to +372/5555/9999', 'to +372****999'],
  ['to +372\u00a05555\u00a09999', 'to +372****999'],
  ['to 372\u202f5555\u202f9999', 'to 372****999'],
  // E-mail addresses, any script, any domain.
  ['john.doe+tag@example.co.uk signed up', '***@example.co.uk signed up'],
  ['{"username":"alice@example.com"}', '{"username":"***@example.com"}'],
  ['jürgen.müller@exämple.com signed up', '***@exämple.com signed up'],
  ['user alice@localhost', 'user ***@localhost'],
  // Secrets, wherever they stand alone.
  ['{"token":"482913"}', '{"token":"***"}'],
  ['token 482913.', 'token ***.'],
  ['X-Service-Auth: demo:demo', 'X-Service-Auth: ***:***'],
  ['password=demo&user=x', 'password=***&user=x'],
  ['key s3cr3t-P4ssw0rd_x and xs3cr3t-P4ssw0rd', 'key ***_x and x***'],
  // Look-alikes left alone: times, ids, dates, addresses, words containing a secret.
  ['at 1764518400000 ms', 'at 1764518400000 ms'],
  ['epoch 1764518400', 'epoch 1764518400'],
  ['user 57166678-aaaa-4bbb-8ccc-123456789abc', 'user 57166678-aaaa-4bbb-8ccc-123456789abc'],
  ['service demo-service not found', 'service demo-service not found'],
  ['{"name":"demoShop","id":"demo_1"}', '{"name":"demoShop","id":"demo_1"}'],
  ['code 14829130 sent', 'code 14829130 sent'],
  ['Verigator answered 404', 'Verigator answered 404'],
  ['ctime 2017-07-06T13:12:03.141Z', 'ctime 2017-07-06T13:12:03.141Z'],
  ['retry after 3600 s', 'retry after 3600 s'],
  ['port 127.0.0.1:4010', 'port 127.0.0.1:4010'],
  ['from 192.168.100.200', 'from 192.168.100.200'],
  ['package nestjs-verigator@0.1.0', 'package nestjs-verigator@0.1.0'],
];

describe('what a log line shows (describeForLog)', () => {
  it.each(CORPUS)('%p -> %p', (line, shown) => {
    expect(describeForLog(line, SECRETS)).toBe(shown);
  });
});
