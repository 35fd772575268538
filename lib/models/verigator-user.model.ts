/** A user of a Verigator service. */
export interface VerigatorUser {
  /** The UserID Verigator assigned; store it with your user to authenticate them later. */
  id: string;
  /** The user's login name in your application (the API's `id_in_service`). */
  username: string;
  /** When the user was added, RFC 3339 as Verigator sent it (the API's `ctime`). */
  creationTime: string;
}
