import { CallDeadline } from './call-deadline';

/** HTTP methods the Verigator API uses. */
export type VerigatorHttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One Verigator call as the resilience policies see it. */
export interface ResilientCall {
  method: VerigatorHttpMethod;
  path: string;
  /** Retries allowed, where safe. */
  retries: number;
  /** The call's one deadline. */
  deadline: CallDeadline;
  /** The endpoint the latest attempt went to (kept up to date by failover). */
  lastEndpoint: string;
}
