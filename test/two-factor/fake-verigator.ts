import { RecordedRequest, RecordingServer, Reply } from '../utils/recording-server';

export { closedPortUrl } from '../utils/recording-server';
/** How the fake answers one request. */
export type FakeReply = Reply;

/** A token the fake accepts by default. */
export const VALID_TOKEN = '123456';
/** A token the fake reports as expired by default. */
export const EXPIRED_TOKEN = '222222';
/** A token the fake reports as throttled by default. */
export const THROTTLED_TOKEN = '333333';

/**
 * A minimal Verigator on 127.0.0.1 for guard and filter tests: `POST .../auth` answers the
 * requested method (TOTP falls back to SMS unless the user is in `totpUsers`), `PUT .../auth`
 * accepts `VALID_TOKEN`. `fault`, when set, answers every request instead.
 */
export class FakeVerigator extends RecordingServer {
  readonly totpUsers = new Set<string>();
  fault?: FakeReply;
  /** Milliseconds before answering an initiate, to widen race windows. */
  initiateDelayMs = 0;

  /** Initiate requests (`POST .../auth`) received. */
  get initiates(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/auth'));
  }

  /** Verify requests (`PUT .../auth`) received. */
  get verifies(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'PUT' && r.url.endsWith('/auth'));
  }

  reset(): void {
    this.clear();
    this.totpUsers.clear();
    this.fault = undefined;
    this.initiateDelayMs = 0;
  }

  protected override delayFor(request: RecordedRequest): number {
    return request.method === 'POST' ? this.initiateDelayMs : 0;
  }

  protected override respond(request: RecordedRequest): FakeReply {
    return this.fault ?? this.route(request);
  }

  private route(request: RecordedRequest): FakeReply {
    const match = /\/users\/([^/]+)\/auth$/.exec(request.url);
    if (!match) return { status: 200, body: { id: 'u1', ctime: 'now', id_in_service: 'x' } };
    const userId = decodeURIComponent(match[1]);
    if (request.method === 'POST') {
      const wanted = request.json.method;
      const method = wanted === 'totp' && !this.totpUsers.has(userId) ? 'sms' : wanted;
      return { status: 200, body: { method, auth_id: 'a1' } };
    }
    return { status: 200, body: verification(String(request.json.token)) };
  }
}

function verification(token: string): object {
  if (token === VALID_TOKEN) return { verified: true };
  const status = (result: string) => ({
    throttled: result === 'THROTTLED',
    expired: result === 'EXPIRED',
    invalid: result === 'INVALID',
    result,
  });
  if (token === EXPIRED_TOKEN) return { verified: false, status: status('EXPIRED') };
  if (token === THROTTLED_TOKEN) return { verified: false, status: status('THROTTLED') };
  return { verified: false, status: status('INVALID') };
}
