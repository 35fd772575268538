/**
 * The kinds of record the library keeps in the `TwoFactorStore`: the guard's, then the SMS
 * defences' (a user's country and prefix, app enrolment and past verification; the app-wide and
 * per-prefix SMS budgets and the budget's alarm), then the trusted devices' (a device per slot,
 * and the counter that hands out slots).
 */
export type TwoFactorStoreKeyKind =
  | 'cooldown'
  | 'attempts'
  | 'sends'
  | 'success'
  | 'sms'
  | 'smsNumber'
  | 'smsApp'
  | 'smsVerified'
  | 'smsBudget'
  | 'smsPrefix'
  | 'smsAlarm'
  | 'device'
  | 'deviceCount';

/** First part of every key `TwoFactorGuard` writes. */
export const TWO_FACTOR_KEY_PREFIX = 'verigator-2fa';

/**
 * The kinds that hold a security decision: the failed-attempt counter (the lockout), the send
 * budget and the pending SMS code. Losing one gives its owner fresh guesses or sends, or lets an
 * SMS code pass a TOTP route, so stores keep them longest.
 */
export const TWO_FACTOR_SECURITY_KINDS: readonly TwoFactorStoreKeyKind[] = [
  'attempts',
  'sends',
  'sms',
  'smsBudget',
  'smsPrefix',
];

const PREFIX = `${TWO_FACTOR_KEY_PREFIX}:`;
const SECURITY_KINDS = TWO_FACTOR_SECURITY_KINDS.map((kind) => `${kind}:`);

/**
 * The store key of one kind of record of a user: `verigator-2fa:<kind>:{<serviceId>:<userId>}`,
 * then `:<part>` for each further part. Parts are URI-encoded, so they can never collide nor
 * hold braces; the braces are a Redis Cluster hash tag, so one user's records share a slot.
 * `recovery` is not a `TwoFactorStore` record: `RedisRecoveryCodeStore` names a user's set so.
 */
export function twoFactorStoreKey(
  kind: TwoFactorStoreKeyKind | 'recovery',
  ...parts: string[]
): string {
  // Concatenated, not mapped and joined: the guard builds several keys on every request.
  const [serviceId = '', userId = ''] = parts;
  let key = `${PREFIX}${kind}:{${encodePart(serviceId)}:${encodePart(userId)}}`;
  for (let i = 2; i < parts.length; i++) key += `:${encodePart(parts[i])}`;
  return key;
}

/** Characters `encodeURIComponent` leaves as they are (some of them): most ids are only these. */
const UNRESERVED = /^[\w.~-]*$/;

/** `encodeURIComponent(part)`, without its cost (a call and a new string) when nothing changes. */
function encodePart(part: string): string {
  return UNRESERVED.test(part) ? part : encodeURIComponent(part);
}

/** True for a key of a lockout counter or a send budget (see `TWO_FACTOR_SECURITY_KINDS`). */
export function isTwoFactorSecurityKey(key: string): boolean {
  if (!key.startsWith(PREFIX)) return false;
  for (const kind of SECURITY_KINDS) if (key.startsWith(kind, PREFIX.length)) return true;
  return false;
}
