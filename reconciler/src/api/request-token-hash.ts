import type { IncomingMessage } from 'node:http';
import { hashToken } from '../auth/token-store.js';

// Kept with the request and gone with it: no plaintext token or hash outlives its request.
const hashes = new WeakMap<IncomingMessage, { readonly token: string; readonly hash: string }>();

/**
 * The SHA-256 of the token a request presents, computed once per request: the address gate,
 * the rate-limit key, the token cache's `holds` and `verify` all ask for it. Keyed by the Node
 * request (fastify's `request.raw`), which the address gate sees before fastify does. Another
 * token on the same request (never in practice) is hashed and replaces the first.
 */
export function requestTokenHash(raw: IncomingMessage, token: string): string {
  const known = hashes.get(raw);
  if (known !== undefined && known.token === token) return known.hash;
  const hash = hashToken(token);
  hashes.set(raw, { token, hash });
  return hash;
}
