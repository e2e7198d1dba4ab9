import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { sessionToken } from './console/session-cookie.js';
import type { Action } from '../auth/principal.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i;

/**
 * The token a request presents, unchecked: its bearer header, else the console's session cookie.
 * For rate-limit keys and the address gate, which only ask whether it is a known token; what a
 * route accepts is `credentialOf`'s stricter reading.
 */
export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  return typeof header === 'string'
    ? /^Bearer (\S+)$/i.exec(header)?.[1]
    : sessionToken(headers.cookie);
}

/** Actions a signed-in console may use: reads only. */
const cookieActions: ReadonlySet<Action> = new Set<Action>([
  'resources:read',
  'status:read',
  'platform:read',
  'drift:read',
  'audit:read',
  'jobs:read',
]);

/** Whether the console's session cookie may stand in for the bearer token on this route. */
export function cookieAccepted(method: string, action: Action): boolean {
  return (method === 'GET' || method === 'HEAD') && cookieActions.has(action);
}

export type Credential =
  | { readonly kind: 'token'; readonly token: string; readonly via: 'bearer' | 'cookie' }
  | { readonly kind: 'refused'; readonly detail: string };

/**
 * The token a request presents. The Authorization header always wins. The console's session
 * cookie is taken only for GET/HEAD of a read action: a cookie is sent by the browser on its
 * own, so it must never be able to change anything (with SameSite=Strict, this is what keeps
 * cross-site requests harmless).
 */
export function credentialOf(request: FastifyRequest, action: Action): Credential {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = BEARER.exec(header);
    return match
      ? { kind: 'token', token: match[1]!, via: 'bearer' }
      : { kind: 'refused', detail: 'send the header Authorization: Bearer <token>' };
  }
  const cookie = sessionToken(request.headers.cookie);
  if (cookie === undefined)
    return { kind: 'refused', detail: 'send the header Authorization: Bearer <token>' };
  if (!cookieAccepted(request.method, action))
    return {
      kind: 'refused',
      detail:
        'the console session cookie is accepted only for GET on read routes; send Authorization: Bearer <token>',
    };
  return { kind: 'token', token: cookie, via: 'cookie' };
}
