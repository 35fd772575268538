import { ExecutionContext } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { TwoFactorEvent } from '../../events/two-factor-event';
import { AuthMethod, outranks } from '../../models/verigator.models';
import {
  ResolvedTwoFactorOptions,
  TwoFactorRequest,
  TwoFactorRouteOptions,
} from '../two-factor-options.interface';
import { TwoFactorUser } from './two-factor-limits';
import { SuccessBy, successServes } from './two-factor-records';

/** One check of a request: the route's settings with module defaults applied, and whose. */
export interface TwoFactorCheck extends TwoFactorUser {
  method: AuthMethod;
  maxAge: number;
  smsFallback: 'accept' | 'refuse';
  /** Whether trusted devices pass (and may be trusted): configured, and the route allows it. */
  trustedDevices: boolean;
  /** Whether a recovery code passes in place of a token: configured, and the route allows it. */
  recoveryCodes: boolean;
  /** `performance.now()` when the check began, for the audit trail's latency. */
  startedAt: number;
}

/** The check of `route` for a user (`''` when unknown), module defaults applied; starts now. */
export function checkOf(
  route: TwoFactorRouteOptions,
  options: ResolvedTwoFactorOptions,
  serviceId: string,
  userId: string | undefined,
): TwoFactorCheck {
  return {
    serviceId,
    userId: userId ?? '',
    method: route.method ?? options.method,
    maxAge: route.maxAge ?? options.maxAge,
    smsFallback: route.smsFallback ?? options.smsFallback,
    trustedDevices: options.trustedDevices !== undefined && route.trustedDevices !== false,
    recoveryCodes: options.recoveryCodes !== undefined && route.recoveryCodes !== false,
    startedAt: performance.now(),
  };
}

/** A second factor verified in a request, `by` a recovery code if one made it. */
export type TwoFactorProof = TwoFactorUser & { method: AuthMethod; by?: SuccessBy };

/**
 * What the two-factor guards of one route share: one HTTP request, or one resolver of a GraphQL
 * document (each with its own settings). Kept on Nest's context, which its guards share.
 */
export interface TwoFactorRequestState<Guard = object> {
  /** Guard classes whose checks passed. */
  passed: Set<object>;
  /** Guards that left their checks to the route's last guard (`@RequireTwoFactor()`). */
  deferred: Guard[];
  /**
   * Second factors verified in this request, shared by every resolver of a GraphQL document: a
   * check they serve (`provenInRequest`) need not ask again.
   */
  proofs: TwoFactorProof[];
  /** The check under way, for the audit trail. */
  check?: TwoFactorCheck;
}

/** The audit event of a decision in `check`, with the route, user, method and latency. */
export function eventOf(
  check: TwoFactorCheck,
  route: string,
  details: Pick<TwoFactorEvent, 'type' | 'outcome'> & Partial<TwoFactorEvent>,
): Omit<TwoFactorEvent, 'timestamp'> {
  return {
    route,
    serviceId: check.serviceId,
    userId: check.userId || undefined,
    method: check.method,
    latencyMs: Math.round((performance.now() - check.startedAt) * 100) / 100,
    ...details,
  };
}

const STATE = Symbol('verigator.twoFactorState');
const PROOFS = Symbol('verigator.twoFactorProofs');

/**
 * The two-factor state of the route `context` serves, created on first use on Nest's context: one
 * per HTTP request, one per resolver under GraphQL, for all of its guards. Only the proofs are the
 * request's, so that a code verified for one resolver serves the document's others; under GraphQL
 * they live on the request (`request()`). A new property on Express's request (a dictionary-mode
 * object) costs microseconds, so HTTP keeps them on the context too.
 */
export function requestState<Guard>(
  context: ExecutionContext,
  request: () => TwoFactorRequest,
): TwoFactorRequestState<Guard> {
  const held = context as unknown as Record<symbol, TwoFactorRequestState<Guard>>;
  return (held[STATE] ??= {
    passed: new Set(),
    deferred: [],
    proofs: context.getType<string>() === 'graphql' ? documentProofs(request()) : [],
  });
}

function documentProofs(request: TwoFactorRequest): TwoFactorProof[] {
  return ((request as Record<symbol, TwoFactorProof[]>)[PROOFS] ??= []);
}

/**
 * True when a factor verified in this request serves `check`: same user, at least its rank, and
 * one a recovery code made only where recovery codes are taken.
 */
export function provenInRequest(
  state: Pick<TwoFactorRequestState<unknown>, 'proofs'>,
  check: TwoFactorCheck,
): boolean {
  return state.proofs.some(
    (proof) =>
      proof.serviceId === check.serviceId &&
      proof.userId === check.userId &&
      outranks(proof.method, check.method) &&
      successServes(proof.by, check),
  );
}
