/** A service registered with Verigator: one web application whose users it verifies. */
export interface VerigatorService {
  /** The ServiceID Verigator assigned; store it in your configuration. */
  id: string;
  /** Display name, shown as the issuer in the Verigator app. */
  name: string;
  /** When the service was created, RFC 3339 as Verigator sent it (the API's `ctime`). */
  creationTime: string;
}
