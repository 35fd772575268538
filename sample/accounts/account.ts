/** A user of the sample app, kept in memory. */
export interface Account {
  /** Login name, e.g. an e-mail address. */
  username: string;
  /** The Verigator user id: what `TwoFactorGuard` reads from `request.user.verigatorId`. */
  verigatorId: string;
  /** Demo credential sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Demo secrets shown only after a second factor. */
  recoveryCodes: string[];
}
