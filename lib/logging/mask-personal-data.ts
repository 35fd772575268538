/** Characters that continue a word, an id or a number: a match next to one is part of something else. */
const GLUED = '[\\p{L}\\p{N}_-]';

/** An e-mail address in any script; the domain's last label has a letter (`localhost` too). */
const EMAIL = new RegExp(
  `(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]+@((?:[\\p{L}\\p{N}-]+\\.)*[\\p{L}\\p{N}-]*\\p{L}[\\p{L}\\p{N}-]*)`,
  'gu',
);

/**
 * A phone number: after `+` or `00`, digits grouped by spaces (any kind), `.`, `/`, `-` or
 * parentheses; without a prefix, digits in three or more groups split by spaces, or one run of
 * digits standing alone. `\s` covers the non-breaking spaces.
 */
const PHONE = new RegExp(
  [
    `(?<![\\p{L}\\p{N}_])(?:\\+|00)\\(?\\d(?:[\\s./()-]{0,2}\\d){6,16}`,
    `(?<!${GLUED}|[.+])\\d{2,4}(?:\\s\\d{2,4}){2,4}(?!${GLUED})`,
    `(?<!${GLUED}|[.+])\\d{8,15}(?!${GLUED}|\\.\\d)`,
  ].join('|'),
  'gu',
);

/**
 * Masks personal data in a log line: an e-mail keeps only its domain (`***@example.com`), a phone
 * number its first three and last three digits (`+372****555`). What only looks like one stays:
 * a number glued to an id (`57166678-aaaa`), or a run of digits that starts with `1` and is not
 * 11 digits long (no valid number does: `+1` numbers have 11 digits, national ones never start
 * with 1), which is what epoch times are (`1764518400000`).
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, (_match, domain: string) => `***@${domain}`)
    .replace(PHONE, (match) => {
      const international = match.startsWith('+') || match.startsWith('00');
      const digits = match.replace(/\D/g, '').replace(international ? /^00/ : /^$/, '');
      if (digits.length < 8 || digits.length > 15) return match;
      if (!international && digits.startsWith('1') && digits.length !== 11) return match;
      return `${international ? '+' : ''}${digits.slice(0, 3)}****${digits.slice(-3)}`;
    });
}
