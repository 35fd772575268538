import { maskPersonalData } from './mask-personal-data';

describe('maskPersonalData', () => {
  it.each([
    ['to +3725555555 now', 'to +372****555 now'],
    ['to +372 5555 555.', 'to +372****555.'],
    ['call +1 (415) 555-2671', 'call +141****671'],
    ['msisdn 37255555555', 'msisdn 372****555'],
    ['john.doe+tag@example.co.uk signed up', '***@example.co.uk signed up'],
    ['{"username":"alice@example.com"}', '{"username":"***@example.com"}'],
  ])('%p -> %p', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    'Verigator answered 404',
    'ctime 2017-07-06T13:12:03.141Z',
    'retry after 3600 s',
    'port 127.0.0.1:4010',
  ])('leaves %p alone', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });
});
