import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressBudget } from '../auth/address-budget.js';
import type { Metrics } from '../metrics/metrics.js';
import { problem, problemContentType } from './problem.js';
import { presentedToken } from './request-credential.js';
import { requestIdFor } from './request-id.js';
import { requestTokenHash } from './request-token-hash.js';
import { looksLikeToken } from '../auth/token-store.js';

export interface AddressGateOptions {
  readonly addresses: AddressBudget;
  /**
   * Whether a token is a cached good one: its requests never spend the address budget. `hash`
   * is its hashToken, computed once for the request (request-token-hash.ts).
   */
  readonly holds: (token: string, hash: string) => boolean;
  readonly metrics?: Metrics;
}

/** The 429 detail of a spent address budget, the same whichever side of routing answers it. */
export function addressLimitDetail(budget: AddressBudget, retryAfterS: number): string {
  return `at most ${budget.limit.max} requests without a valid token per client address in ${budget.limit.timeWindowMs / 1000} s; retry in ${retryAfterS} s`;
}

/**
 * Answers the API requests of an address already refused in its window before fastify sees
 * them: a flood of made-up tokens then costs a header check and one small write per request, not
 * routing, hooks and serialization, so health and good tokens keep their share of the one
 * thread. Only `/v1/` paths are gated: the API's routes, and the catch-alls that name an unknown
 * kind (junk from a refused address is refused too). Health, metrics and the console stay open.
 * A cached good token passes, as in the auth plugin, which keeps the first refusal of each
 * window (audited) and every decision before it. Wraps fastify's own request listener: call
 * once, after the app is built.
 */
export function installAddressGate(server: Server, options: AddressGateOptions): void {
  const [fastifyHandler, ...others] = server.listeners('request') as Array<
    (req: IncomingMessage, res: ServerResponse) => void
  >;
  if (!fastifyHandler) throw new Error('address gate: the server has no request listener yet');
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!refuse(req, res, options)) fastifyHandler(req, res);
  });
  for (const listener of others) server.on('request', listener);
}

function refuse(req: IncomingMessage, res: ServerResponse, options: AddressGateOptions): boolean {
  if (!req.url?.startsWith('/v1/')) return false;
  const address = req.socket.remoteAddress;
  if (address === undefined) return false;
  const token = presentedToken(req.headers);
  if (
    token !== undefined &&
    looksLikeToken(token) &&
    options.holds(token, requestTokenHash(req, token))
  )
    return false;
  const refusal = options.addresses.refusedAgain(address);
  if (!refusal) return false;
  const body = JSON.stringify(
    problem('rate_limited', addressLimitDetail(options.addresses, refusal.retryAfterS)),
  );
  res.writeHead(429, {
    'content-type': `${problemContentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    'retry-after': String(refusal.retryAfterS),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': requestIdFor(req),
  });
  res.end(body);
  options.metrics?.httpRequests.inc({
    method: req.method ?? 'GET',
    route: '(address gate)',
    status: '429',
  });
  return true;
}
