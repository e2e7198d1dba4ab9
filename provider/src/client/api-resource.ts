/** The reconciler API's resource representation (docs/architecture.md, section 2). */
export interface ApiCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly field: string | null;
}

export interface ApiResource {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly generation: number;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly secrets_set?: readonly string[];
  readonly status: {
    readonly applied_generation: number | null;
    readonly observed?: Readonly<Record<string, unknown>> | null;
    /** The spec as the platform holds it (reads only); null before the first observation. */
    readonly platform_spec?: Readonly<Record<string, unknown>> | null;
    readonly conditions?: readonly ApiCondition[];
  };
  readonly deletion_requested_at: string | null;
}

/** A field error of an `application/problem+json` response. */
export interface ApiFieldError {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

/** A non-2xx answer from the API; the message never carries the token or a request body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: readonly ApiFieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
