import { PlatformError } from '../driver/platform-driver.js';
import { alreadyExistsMessage } from './already-exists-message.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { reasons, type Reason } from '../store/conditions.js';

export interface RequeueDelays {
  /** A reference is not applied yet, or dependents must go first. */
  readonly dependencyMs: number;
  /** The platform's state forbids the change now (a limit reached). */
  readonly conflictMs: number;
  readonly forbiddenMs: number;
}

export const defaultRequeueDelays: RequeueDelays = {
  dependencyMs: 1_000,
  conflictMs: 60_000,
  forbiddenMs: 5 * 60_000,
};

export interface FailureOutcome {
  readonly outcome: 'retry' | 'rejected' | 'conflict' | 'forbidden' | 'error';
  readonly reason: Reason;
  readonly message: string;
  readonly field: string | null;
  /** null: wait for a new generation. */
  readonly requeueAfterMs: number | null;
  /** The failure counts towards the backoff exponent. */
  readonly countsAsAttempt: boolean;
}

/**
 * Maps whatever a reconcile step threw to a condition and a requeue decision. `create` names
 * the kind when the step was a create: a conflict with an object that already exists on the
 * platform is then `AlreadyExists`, whose message says how to adopt it; it waits for a change.
 */
export function failureOutcome(
  err: unknown,
  attempts: number,
  backoff: BackoffOptions,
  delays: RequeueDelays,
  create?: { readonly kind: string },
): FailureOutcome {
  const retry = (reason: Reason, message: string, retryAfterMs?: number): FailureOutcome => ({
    outcome: reason === reasons.reconcileError ? 'error' : 'retry',
    reason,
    message,
    field: null,
    requeueAfterMs: backoffDelay(attempts + 1, retryAfterMs, backoff),
    countsAsAttempt: true,
  });
  if (!(err instanceof PlatformError)) {
    // Never echo an unknown error's message verbatim into a status: it may quote input.
    const name = err instanceof Error ? err.name : typeof err;
    return retry(reasons.reconcileError, `internal error (${name}); see the daemon log`);
  }
  const field = err.details.field ?? null;
  switch (err.reason) {
    case 'retryable':
      return retry(reasons.platformUnavailable, err.message, err.details.retryAfterMs);
    case 'invalid':
      return {
        outcome: 'rejected',
        reason: reasons.platformRejected,
        message: err.message,
        field,
        requeueAfterMs: null,
        countsAsAttempt: false,
      };
    case 'conflict':
      if (create && err.details.existing) {
        return {
          outcome: 'conflict',
          reason: reasons.alreadyExists,
          message: alreadyExistsMessage(create.kind, err.details.existing, err.message),
          field,
          requeueAfterMs: null,
          countsAsAttempt: false,
        };
      }
      return {
        outcome: 'conflict',
        reason: reasons.conflict,
        message: err.message,
        field,
        requeueAfterMs: delays.conflictMs,
        countsAsAttempt: false,
      };
    case 'forbidden':
      return {
        outcome: 'forbidden',
        reason: reasons.forbidden,
        message: err.message,
        field,
        requeueAfterMs: delays.forbiddenMs,
        countsAsAttempt: false,
      };
    case 'not_found':
      // The owning account is gone from the platform: its own reconcile will recreate it.
      return { ...retry(reasons.dependencyNotReady, err.message), field };
  }
}
