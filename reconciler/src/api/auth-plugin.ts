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
import type { ScopeGuard } from '../auth/scope.js';
import type { VerifyResult } from '../auth/token-store.js';
import { credentialOf } from './request-credential.js';

export interface AuthPluginOptions {
  /** Resolves bearer tokens (a TokenStore). */
  readonly tokens: { verify(token: string): Promise<VerifyResult> };
  /** Where every API call's audit event goes (an AuditStore). */
  readonly audit: AuditSink;
  /** Where reads' events go instead, off the response path (a ReadAuditBuffer); default `audit`. */
  readonly readAudit?: AuditSink;
  /** Tells a plain 404 from one that hid an out-of-scope object (audited as denied). */
  readonly scope?: ScopeGuard;
  /** Secret attribute paths of a kind; default: the schema catalogue's writeOnly attributes. */
  readonly secretPaths?: SecretPathsOf;
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

/**
 * Bearer authentication and role checks on every route that declares `config.action`, and an
 * audit event for every such call (reads and writes, allowed or not). Routes without an action
 * (health, metrics, openapi) stay public and unaudited. The console's session cookie stands in
 * for the header only on GET of read routes (see request-credential.ts).
 *
 * The check is added to each route's own onRequest hooks (not a global hook), so that a rate
 * limiter registered before this plugin runs first and floods of bad tokens never reach the
 * database. Register it before the routes.
 */
const plugin: FastifyPluginAsync<AuthPluginOptions> = async (fastify, options) => {
  const authenticate: onRequestHookHandler = async function (
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const action = request.routeOptions.config.action;
    if (action === undefined) return;
    const credential = credentialOf(request, action);
    if (credential.kind === 'refused') return unauthorized(reply, credential.detail);
    const result = await options.tokens.verify(credential.token);
    if (!result.ok) return unauthorized(reply, refusals[result.reason]);
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
