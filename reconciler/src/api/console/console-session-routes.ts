import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { problemResponses } from '../api-schemas.js';
import { problem, sendProblem } from '../problem.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import { rolePermissions } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { VerifyResult } from '../../auth/token-store.js';
import { clearedSessionCookie, sessionCookie, sessionToken } from './session-cookie.js';

export interface ConsoleSessionRoutesOptions {
  /** Resolves tokens (a TokenStore): sign-in checks the pasted token before keeping it. */
  readonly tokens: { verify(token: string): Promise<VerifyResult> };
  /** Records sign-in attempts. */
  readonly audit: AuditSink;
}

const signInBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

const sessionView = {
  type: 'object',
  required: ['name', 'role', 'scope_account_id', 'actions'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string' },
    scope_account_id: { type: ['string', 'null'] },
    actions: { type: 'array', items: { type: 'string' } },
  },
} as const;

const view = (p: Principal) => ({
  name: p.name,
  role: p.role,
  scope_account_id: p.scopeAccountId,
  actions: [...rolePermissions[p.role]],
});

const isHttps = (request: FastifyRequest) => request.protocol === 'https';

/**
 * Console sign-in, who is signed in, and sign-out (`/ui/session`, `/ui/sign-out`). The token
 * is checked before it is kept, and kept only in an HttpOnly, SameSite=Strict cookie. Answers
 * are never cached: they say who is signed in.
 */
export const consoleSessionRoutes: FastifyPluginAsync<ConsoleSessionRoutesOptions> = async (
  app,
  options,
) => {
  const { tokens, audit } = options;
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.post<{ Body: { token: string } }>(
    '/ui/session',
    {
      schema: {
        tags: ['console'],
        summary: 'Console sign-in: keeps the token in an HttpOnly, SameSite=Strict cookie',
        body: signInBody,
        response: { 200: sessionView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await tokens.verify(request.body.token);
      await audit.record({
        event: 'console.sign_in',
        access: 'write',
        actor: result.ok ? result.principal.name : 'anonymous',
        outcome: result.ok ? 'success' : 'denied',
        ip: request.ip,
        requestId: request.id,
      });
      if (!result.ok)
        return sendProblem(reply, problem('unauthorized', `the token is ${result.reason}`));
      reply.header('set-cookie', sessionCookie(request.body.token, isHttps(request)));
      return view(result.principal);
    },
  );

  app.get(
    '/ui/session',
    {
      schema: {
        tags: ['console'],
        summary: 'Who the console is signed in as',
        response: { 200: sessionView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const token = sessionToken(request.headers.cookie);
      const result = token === undefined ? undefined : await tokens.verify(token);
      if (result?.ok) return view(result.principal);
      // A cookie whose token no longer works is dropped, so the browser stops sending it.
      if (result) reply.header('set-cookie', clearedSessionCookie(isHttps(request)));
      const detail = result ? `the session's token is ${result.reason}` : 'not signed in';
      return sendProblem(reply, problem('unauthorized', detail));
    },
  );

  // Sign-out only forgets the cookie. The app parses JSON bodies only (a form's is refused, 415).
  app.post(
    '/ui/sign-out',
    {
      schema: {
        tags: ['console'],
        summary: 'Console sign-out: removes the session cookie',
        response: { 204: { type: 'null', description: 'Signed out' } },
      },
    },
    async (request, reply) =>
      reply
        .header('set-cookie', clearedSessionCookie(isHttps(request)))
        .code(204)
        .send(),
  );
};
