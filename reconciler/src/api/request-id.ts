import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Incoming `X-Request-Id` values kept as the request's id: 1-128 letters, digits and `._:-`.
 * Anything else (longer, spaces, control characters, several ids joined by a proxy) would let a
 * client write arbitrary text into logs and audit events, so it is replaced.
 */
export const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request, for logs, problem details, audit events and the `X-Request-Id` answer
 * header: the caller's own when well-formed (so a trace spans the client and the daemon),
 * otherwise a random UUID, unique across restarts and replicas (fastify's default is a
 * per-process counter, which repeats).
 */
export function requestIdFor(request: { readonly headers: IncomingHttpHeaders }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}
