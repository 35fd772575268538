import { randomInt, randomUUID } from 'node:crypto';
import { BoundedLog } from './bounded-log';
import { SimulatorError } from './simulator-error';
import type { SimulatorSeed } from './simulator-seed';
import { acceptTotp, createTotpDevice, currentTotp, totpSecondsLeft } from './totp-device';
import type { EnrolledDevice, TotpDevice } from './totp-device';
import type { AuthMethod } from './validation';

/** An SMS the simulator "sent", as listed by `GET /_simulator/messages`. */
export interface SimulatorMessage {
  /** The user's phone number. */
  to: string;
  text: string;
  /** The 6-digit code inside `text`. */
  code: string;
  serviceId: string;
  userId: string;
  /** When it was sent, RFC 3339. */
  sentAt: string;
  /**
   * What became of the code since: `pending` (still usable), `verified`, `expired`, `throttled`
   * (too many wrong guesses), or `superseded` (a newer code, a TOTP verify or the user's deletion
   * replaced it).
   */
  status: MessageStatus;
}

/** What became of an SMS code; see {@link SimulatorMessage.status}. */
export type MessageStatus = 'pending' | 'verified' | 'expired' | 'throttled' | 'superseded';

/** A service and its users, as listed by `GET /_simulator/services` (for the inbox page). */
export interface ServiceSummary {
  id: string;
  name: string;
  fqdn: string;
  users: { id: string; username: string; phoneNumber: string; hasDevice: boolean }[];
}

/** Narrows `messages()`; both fields must match when both are given. */
export interface MessageFilter {
  /** Phone number, E.164. */
  to?: string;
  userId?: string;
}

/** The answer to a verify call, as the API serialises it. */
export type VerifyOutcome =
  | { verified: true }
  | {
      verified: false;
      status: {
        throttled: boolean;
        expired: boolean;
        invalid: boolean;
        result: 'INVALID' | 'EXPIRED' | 'THROTTLED';
      };
    };

/** A registered service as stored. */
export interface ServiceRecord {
  readonly id: string;
  readonly name: string;
  readonly fqdn: string;
  readonly ctime: string;
  readonly users: Map<string, UserRecord>;
}

/** A user as stored, with their pending SMS code and TOTP device. */
export interface UserRecord {
  readonly id: string;
  readonly idInService: string;
  readonly phoneNumber: string;
  readonly ctime: string;
  pendingCode?: PendingCode;
  device?: TotpDevice;
}

interface PendingCode {
  readonly code: string;
  readonly expiresAt: number;
  failedAttempts: number;
  verified?: boolean;
}

/** An outbox entry: the message and the code it carried, to tell what became of it. */
interface SentMessage {
  readonly message: Omit<SimulatorMessage, 'status'>;
  readonly pending: PendingCode;
  readonly user: UserRecord;
}

/** What the state needs from the simulator's options. */
export interface SimulatorStateConfig {
  clock: () => number;
  codeTtlMs: number;
  maxVerifyAttempts: number;
  /** See `VerigatorSimulatorOptions.benchmarkToken`. */
  benchmarkToken?: string;
  seed?: SimulatorSeed;
}

/**
 * The simulator's in-memory world: services, users, pending SMS codes, TOTP devices and the SMS
 * outbox. Methods throw {@link SimulatorError} with the status the API answers (404, 409).
 */
export class SimulatorState {
  private readonly serviceRecords = new Map<string, ServiceRecord>();
  private readonly outbox = new BoundedLog<SentMessage>();

  constructor(private readonly config: SimulatorStateConfig) {
    this.reset();
  }

  /** Forgets everything, then re-creates the seed's services and users. */
  reset(): void {
    this.serviceRecords.clear();
    this.outbox.clear();
    for (const service of this.config.seed?.services ?? []) {
      this.createService({ id: service.id, name: service.name, fqdn: service.fqdn });
      for (const user of service.users ?? []) {
        this.createUser(service.id, {
          id: user.id,
          idInService: user.username,
          phoneNumber: user.phoneNumber,
        });
      }
    }
  }

  createService(input: { id?: string; name: string; fqdn: string }): ServiceRecord {
    const id = input.id ?? randomUUID();
    if (this.serviceRecords.has(id)) {
      throw new SimulatorError(409, `Service ${id} already exists`);
    }
    const service: ServiceRecord = {
      id,
      name: input.name,
      fqdn: input.fqdn,
      ctime: this.now(),
      users: new Map(),
    };
    this.serviceRecords.set(id, service);
    return service;
  }

  getService(serviceId: string): ServiceRecord {
    const service = this.serviceRecords.get(serviceId);
    if (!service) {
      throw new SimulatorError(404, `Service ${serviceId} not found`);
    }
    return service;
  }

  deleteService(serviceId: string): void {
    const service = this.getService(serviceId);
    if (service.users.size > 0) {
      throw new SimulatorError(
        409,
        `Service ${serviceId} still has ${service.users.size} user(s); delete them first`,
      );
    }
    this.serviceRecords.delete(serviceId);
  }

  createUser(
    serviceId: string,
    input: { id?: string; idInService: string; phoneNumber: string },
  ): UserRecord {
    const service = this.getService(serviceId);
    for (const existing of service.users.values()) {
      if (existing.idInService === input.idInService) {
        throw new SimulatorError(409, `User ${input.idInService} already exists in this service`);
      }
    }
    const user: UserRecord = {
      id: input.id ?? randomUUID(),
      idInService: input.idInService,
      phoneNumber: input.phoneNumber,
      ctime: this.now(),
    };
    service.users.set(user.id, user);
    return user;
  }

  listUsers(serviceId: string): UserRecord[] {
    return [...this.getService(serviceId).users.values()];
  }

  getUser(serviceId: string, userId: string): UserRecord {
    const user = this.getService(serviceId).users.get(userId);
    if (!user) {
      throw new SimulatorError(404, `User ${userId} not found in service ${serviceId}`);
    }
    return user;
  }

  deleteUser(serviceId: string, userId: string): void {
    this.getUser(serviceId, userId).pendingCode = undefined;
    this.getService(serviceId).users.delete(userId);
  }

  /**
   * Starts an authentication. `totp` for a user with a device sends nothing; otherwise a fresh
   * 6-digit code replaces any pending one and is "sent" by SMS.
   *
   * @returns the method actually used.
   */
  initiate(serviceId: string, userId: string, method: AuthMethod): AuthMethod {
    const service = this.getService(serviceId);
    const user = this.getUser(serviceId, userId);
    if (method === 'totp' && user.device) {
      return 'totp';
    }
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const now = this.config.clock();
    const pending = { code, expiresAt: now + this.config.codeTtlMs, failedAttempts: 0 };
    user.pendingCode = pending;
    this.outbox.push({
      message: {
        to: user.phoneNumber,
        text: `${code} is your ${service.name} verification code.`,
        code,
        serviceId,
        userId,
        sentAt: new Date(now).toISOString(),
      },
      pending,
      user,
    });
    return 'sms';
  }

  /**
   * Checks `token` against the pending SMS code, then against the TOTP device if there is one.
   * A throttled or expired SMS code never verifies; wrong SMS guesses count towards throttling.
   */
  verify(serviceId: string, userId: string, token: string): VerifyOutcome {
    const user = this.getUser(serviceId, userId);
    if (token === this.config.benchmarkToken) return { verified: true };
    const now = this.config.clock();
    const pending = user.pendingCode;
    const throttled = !!pending && pending.failedAttempts >= this.config.maxVerifyAttempts;
    const expired = !!pending && now >= pending.expiresAt;

    if (pending && !throttled && !expired && token === pending.code) {
      pending.verified = true;
      user.pendingCode = undefined;
      return { verified: true };
    }
    if (user.device && acceptTotp(user.device, token, now)) {
      user.pendingCode = undefined;
      return { verified: true };
    }
    if (throttled) {
      return failure('THROTTLED');
    }
    if (expired) {
      return failure('EXPIRED');
    }
    if (pending) {
      pending.failedAttempts += 1;
    }
    return failure('INVALID');
  }

  /** Gives the user a new TOTP device, replacing any previous one. */
  enrolDevice(serviceId: string, userId: string): EnrolledDevice {
    const service = this.getService(serviceId);
    const user = this.getUser(serviceId, userId);
    const { device, enrolled } = createTotpDevice(service.name, user.idInService);
    user.device = device;
    return enrolled;
  }

  /** The code the user's device shows now. */
  totp(serviceId: string, userId: string): string {
    return currentTotp(this.device(serviceId, userId), this.config.clock());
  }

  /** The device's current code and the whole seconds until it changes (for the inbox page). */
  totpNow(serviceId: string, userId: string): { code: string; secondsLeft: number } {
    const now = this.config.clock();
    return {
      code: currentTotp(this.device(serviceId, userId), now),
      secondsLeft: totpSecondsLeft(now),
    };
  }

  /** The user's device, for its `otpauth://` URL and current code. */
  device(serviceId: string, userId: string): TotpDevice {
    const user = this.getUser(serviceId, userId);
    if (!user.device) {
      throw new SimulatorError(404, `User ${userId} has no TOTP device; enrol one first`);
    }
    return user.device;
  }

  /** Sent SMS, oldest first, each with what became of its code. */
  messages(filter: MessageFilter = {}): SimulatorMessage[] {
    const now = this.config.clock();
    return this.outbox
      .toArray()
      .filter(
        ({ message }) =>
          (filter.to === undefined || message.to === filter.to) &&
          (filter.userId === undefined || message.userId === filter.userId),
      )
      .map(({ message, pending, user }) => ({
        ...message,
        status: this.statusOf(pending, user, now),
      }));
  }

  /** Every service with its users, in creation order. */
  services(): ServiceSummary[] {
    return [...this.serviceRecords.values()].map((service) => ({
      id: service.id,
      name: service.name,
      fqdn: service.fqdn,
      users: [...service.users.values()].map((user) => ({
        id: user.id,
        username: user.idInService,
        phoneNumber: user.phoneNumber,
        hasDevice: user.device !== undefined,
      })),
    }));
  }

  private statusOf(pending: PendingCode, user: UserRecord, now: number): MessageStatus {
    if (pending.verified) {
      return 'verified';
    }
    if (user.pendingCode !== pending) {
      return 'superseded';
    }
    if (pending.failedAttempts >= this.config.maxVerifyAttempts) {
      return 'throttled';
    }
    return now >= pending.expiresAt ? 'expired' : 'pending';
  }

  private now(): string {
    return new Date(this.config.clock()).toISOString();
  }
}

function failure(result: 'INVALID' | 'EXPIRED' | 'THROTTLED'): VerifyOutcome {
  return {
    verified: false,
    status: {
      throttled: result === 'THROTTLED',
      expired: result === 'EXPIRED',
      invalid: result === 'INVALID',
      result,
    },
  };
}
