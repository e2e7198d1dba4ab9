import { errorCatalogue } from '../error-catalogue.js';
import { requestIdPattern } from '../request-id.js';
import { SESSION_COOKIE } from '../console/session-cookie.js';

/**
 * The reusable parts of /openapi.json that no single route owns: security schemes, the headers
 * the API's hooks send on every answer, and one problem response per status of the error
 * catalogue (so a generated client knows which `code`s each status carries).
 */
export const securitySchemes = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token (`telform token create`, or the first admin token in `.telform/admin-token`).',
  },
  console_session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The web console session (`POST /ui/session`): accepted for GET on read routes only, never for writes.',
  },
} as const;

const rateLimitNote = 'per token and window (`telform serve --rate-limit`)';

export const headers = {
  XRequestId: {
    description:
      "The request's id, as in logs and audit events: the caller's own `X-Request-Id` when well-formed, else a new one.",
    schema: { type: 'string' },
  },
  ETag: {
    description: 'The generation of the resource, quoted (`"3"`); send it back as `If-Match`.',
    schema: { type: 'string' },
  },
  IdempotentReplayed: {
    description:
      '`true` when this is the stored answer of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 0 },
  },
  RateLimitLimit: {
    description: `Requests allowed ${rateLimitNote}.`,
    schema: { type: 'integer', minimum: 0 },
  },
  RateLimitRemaining: {
    description: `Requests left in the current window, ${rateLimitNote}.`,
    schema: { type: 'integer', minimum: 0 },
  },
  RateLimitReset: {
    description: 'Seconds until the current window ends.',
    schema: { type: 'integer', minimum: 0 },
  },
} as const;

export const parameters = {
  XRequestId: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description:
      'Your own id for this request (1-128 of `A-Za-z0-9._:-`), echoed back and kept in logs and audit events.',
    schema: { type: 'string', pattern: requestIdPattern.source },
  },
} as const;

/** `Problem400`, `Problem401`, ...: one per status the catalogue uses, naming its codes. */
export function problemResponses(): Record<string, object> {
  const byStatus = new Map<number, string[]>();
  for (const [code, entry] of Object.entries(errorCatalogue)) {
    byStatus.set(entry.status, [
      ...(byStatus.get(entry.status) ?? []),
      `\`${code}\` (${entry.title})`,
    ]);
  }
  const responses: Record<string, object> = {};
  for (const [status, codes] of byStatus) {
    responses[`Problem${status}`] = {
      description: `Problem details with code ${codes.join(', or ')}.`,
      headers: {
        'X-Request-Id': { $ref: '#/components/headers/XRequestId' },
        // Sent on every answer of a route that needs a token (public probes have none).
        'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
        'X-RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
        'X-RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
        ...(status === 429 || status === 502 || status === 503
          ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }
          : {}),
      },
      content: {
        'application/problem+json': { schema: { $ref: '#/components/schemas/telform-problem' } },
      },
    };
  }
  return responses;
}
