/** One broken rule in a request, named by its attribute path. */
export interface FieldError {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

/** Codes the store raises; each is an entry of the API's error catalogue. */
export type StoreErrorCode =
  | 'not_found'
  | 'validation_failed'
  | 'precondition_failed'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'forbidden';

/**
 * A refused store operation. Nothing was written when it is thrown. Messages name ids and
 * fields, never attribute values (which may be secrets).
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
}
