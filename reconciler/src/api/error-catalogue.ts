/**
 * Every error code the API answers with. Codes are stable: scripts and the provider match on
 * them. Add an entry here, never a code inline.
 */
export const errorCatalogue = {
  bad_request: { status: 400, title: 'The request is malformed' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  forbidden: { status: 403, title: 'The token may not do this' },
  not_found: { status: 404, title: 'No such resource' },
  unknown_kind: { status: 404, title: 'No such resource kind' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'This method is not allowed here' },
  not_acceptable: { status: 406, title: 'No acceptable representation' },
  conflict: { status: 409, title: 'The resource state does not allow this' },
  precondition_failed: { status: 412, title: 'If-Match does not match the current generation' },
  body_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'The body must be application/json' },
  validation_failed: { status: 422, title: 'The request breaks a rule' },
  idempotency_key_reused: {
    status: 422,
    title: 'The Idempotency-Key was already used for a different request',
  },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'The server failed' },
  platform_unavailable: { status: 502, title: 'The platform did not answer' },
  not_ready: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
