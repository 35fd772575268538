const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
/** `+` and 8 or more digits, maybe grouped by spaces, dots, dashes, parentheses; or 8-15 bare digits. */
const PHONE = /\+\d[\d ().-]{6,}\d|\b\d{8,15}\b/g;

/**
 * Masks personal data in a log line: an e-mail keeps only its domain (`***@example.com`), a phone
 * number its first three and last three digits (`+372****555`).
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, (_match, domain: string) => `***@${domain}`)
    .replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, '');
      if (digits.length < 7) return match;
      return `${match.startsWith('+') ? '+' : ''}${digits.slice(0, 3)}****${digits.slice(-3)}`;
    });
}
