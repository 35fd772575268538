/** A user of the sample app, kept in memory. */
export interface Account {
  /** Login name, e.g. an e-mail address. */
  username: string;
  /** The Verigator user id: what `TwoFactorGuard` reads from `request.user.verigatorId`. */
  verigatorId: string;
  /** Demo credential sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** The phone number, E.164 (a new one is a new Verigator user: `PUT /account/phone`). */
  phoneNumber: string;
}
