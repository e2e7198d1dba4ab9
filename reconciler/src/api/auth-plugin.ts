import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { problem, sendProblem } from './problem.js';
import type { AuditSink } from '../audit/audit-sink.js';
import { apiAuditHook, type SecretPathsOf } from './api-audit-hook.js';
import { isAllowed } from '../auth/permissions.js';
import type { AddressBudget } from '../auth/address-budget.js';
import type { ScopeGuard } from '../auth/scope.js';
import { looksLikeToken, type VerifyResult } from '../auth/token-store.js';
import { requestTokenHash } from './request-token-hash.js';
import { credentialOf } from './request-credential.js';
import { addressLimitDetail, installAddressGate } from './address-gate.js';
import type { Metrics } from '../metrics/metrics.js';

export interface AuthPluginOptions {
  /**
   * Resolves bearer tokens (a TokenStore, or a TokenCache over one). `holds`, when present, says
   * a token is a cached good one, which spends no address budget.
   */
  readonly tokens: {
    /** `hash`: the token's hashToken, computed once per request (request-token-hash.ts). */
    verify(token: string, hash?: string): Promise<VerifyResult>;
    holds?(token: string, hash?: string): boolean;
  };
  /**
   * Spent by every request that is not a cached good token, before its token is looked up, and
   * refunded when the lookup finds a good one; when spent, 429 with no lookup. Absent: no limit.
   */
  readonly addresses?: AddressBudget;
  /** Where every API call's audit event goes (an AuditStore). */
  readonly audit: AuditSink;
  /** Where reads' events go instead, off the response path (a ReadAuditBuffer); default `audit`. */
  readonly readAudit?: AuditSink;
  /** Tells a plain 404 from one that hid an out-of-scope object (audited as denied). */
  readonly scope?: ScopeGuard;
  /** Secret attribute paths of a kind; default: the schema catalogue's writeOnly attributes. */
  readonly secretPaths?: SecretPathsOf;
  /** Counts the requests the address gate answers before routing. */
  readonly metrics?: Metrics;
}

const refusals: Readonly<Record<Exclude<VerifyResult, { ok: true }>['reason'], string>> = {
  malformed: 'the bearer token is not a telform token',
  unknown: 'the bearer token is not valid',
  expired: 'the bearer token has expired',
  revoked: 'the bearer token was revoked',
};

function unauthorized(reply: FastifyReply, detail: string): FastifyReply {
  reply.header('www-authenticate', 'Bearer realm="telform"');
  return sendProblem(reply, problem('unauthorized', detail));
}

function addressLimited(reply: FastifyReply, retryAfterS: number, budget: AddressBudget) {
  reply.header('retry-after', String(retryAfterS));
  return sendProblem(reply, problem('rate_limited', addressLimitDetail(budget, retryAfterS)));
}

/**
 * Bearer authentication and role checks on every route that declares `config.action`, and an
 * audit event for every such call (reads and writes, allowed or not). Routes without an action
 * (health, metrics, openapi) stay public and unaudited. The console's session cookie stands in
 * for the header only on GET of read routes (see request-credential.ts).
 *
 * The check is added to each route's own onRequest hooks (not a global hook), so that a rate
 * limiter registered before this plugin runs first and floods of bad tokens never reach the
 * database. Requests that are not a cached good token spend their client address's budget first
 * (`addresses`): unauthenticated and unknown-token floods are cut before any lookup, whatever
 * token each request makes up. Register it before the routes.
 */
const plugin: FastifyPluginAsync<AuthPluginOptions> = async (fastify, options) => {
  // Addresses refused again in their window are answered before routing (address-gate.ts).
  const { addresses, tokens, metrics } = options;
  if (addresses && tokens.holds) {
    const holds = (token: string, hash: string) => tokens.holds!(token, hash);
    installAddressGate(fastify.server, { addresses, holds, ...(metrics ? { metrics } : {}) });
  }
  const authenticate: onRequestHookHandler = async function (
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const action = request.routeOptions.config.action;
    if (action === undefined) return;
    const credential = credentialOf(request, action);
    // Hashed once for the request (the gate and the rate-limit key asked already); junk that
    // is not token-shaped is never hashed.
    const hash =
      credential.kind === 'token' && looksLikeToken(credential.token)
        ? requestTokenHash(request.raw, credential.token)
        : undefined;
    const charged =
      options.addresses !== undefined &&
      !(
        credential.kind === 'token' &&
        hash !== undefined &&
        options.tokens.holds?.(credential.token, hash)
      );
    if (charged) {
      const decision = options.addresses!.take(request.ip);
      if (!decision.ok) {
        // A flood is one audit event per address and window; the metrics count every refusal.
        if (!decision.first) request.unaudited = true;
        return addressLimited(reply, decision.retryAfterS, options.addresses!);
      }
    }
    if (credential.kind === 'refused') return unauthorized(reply, credential.detail);
    const result = await options.tokens.verify(credential.token, hash);
    if (!result.ok) return unauthorized(reply, refusals[result.reason]);
    if (charged) options.addresses!.refund(request.ip);
    request.principal = result.principal;
    if (!isAllowed(result.principal.role, action)) {
      return sendProblem(
        reply,
        problem('forbidden', `role ${result.principal.role} may not ${action}`),
      );
    }
  };

  fastify.addHook('onRoute', (route) => {
    if (route.config?.action === undefined) return;
    const existing = route.onRequest;
    route.onRequest = [
      ...(Array.isArray(existing) ? existing : existing ? [existing] : []),
      authenticate,
    ];
  });
  fastify.addHook('onSend', apiAuditHook(options));
};

export const authPlugin = fp(plugin, { name: 'telform-auth', fastify: '5.x' });
