import { EmulatorError, type ExistingObject } from './emulator-error.js';

/**
 * Every error the emulator returns, one factory per stable code. Status codes follow what
 * vendors do: 400 malformed, 401/403 credentials, 404 missing, 409 state conflicts, 422 rule
 * violations on a field, 429 throttling, 5xx faults.
 */
export const errors = {
  unauthenticated: () =>
    new EmulatorError(
      401,
      'unauthenticated',
      'send a valid API key as "Authorization: Bearer <key>"',
    ),
  forbidden: (message: string, field?: string, rule?: string) =>
    new EmulatorError(403, 'forbidden', message, field, rule),
  accountDisabled: (id: string) =>
    new EmulatorError(403, 'account_disabled', `account ${id} is disabled`),
  notFound: (what: string) => new EmulatorError(404, 'not_found', `${what} does not exist`),
  unknownKind: (kind: string) =>
    new EmulatorError(404, 'unknown_kind', `this platform has no object kind "${kind}"`),
  invalid: (field: string, rule: string, message: string) =>
    new EmulatorError(422, 'validation_failed', message, field, rule),
  badRequest: (message: string, field?: string, rule?: string) =>
    new EmulatorError(400, 'bad_request', message, field, rule),
  limitReached: (field: string, rule: string, message: string) =>
    new EmulatorError(409, 'limit_reached', message, field, rule),
  conflict: (field: string, rule: string, message: string) =>
    new EmulatorError(409, 'conflict', message, field, rule),
  /** A unique value taken by `existing`: the same object, made elsewhere (adopt it instead). */
  alreadyExists: (field: string, message: string, existing: ExistingObject) =>
    new EmulatorError(409, 'conflict', message, field, 'unique', {}, existing),
  idempotencyKeyReused: () =>
    new EmulatorError(
      422,
      'idempotency_key_reused',
      'this Idempotency-Key was used with a different request',
      'Idempotency-Key',
      'same_request',
    ),
  rateLimited: (retryAfterS: number, message = 'too many requests') =>
    new EmulatorError(429, 'rate_limited', message, undefined, undefined, {
      'retry-after': String(retryAfterS),
    }),
  injected: (status: number) =>
    new EmulatorError(status, 'injected_fault', `injected fault: HTTP ${status}`),
} as const;
