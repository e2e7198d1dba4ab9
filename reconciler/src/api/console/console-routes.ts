import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { problemResponses } from '../api-schemas.js';
import { problem, ProblemError, sendProblem } from '../problem.js';
import { principalOf } from '../request-context.js';
import { rolePermissions } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ScopeGuard } from '../../auth/scope.js';
import type { VerifyResult } from '../../auth/token-store.js';
import type { InventoryDriver } from '../../driver/platform-driver.js';
import type { AuditSink } from '../../audit/audit-sink.js';
import type { Database } from '../../store/database.js';
import { accountsOverview } from './accounts-overview.js';
import { consoleAssets } from './console-assets.js';
import { consoleCsp } from './console-csp.js';
import { driftHistory } from './drift-history.js';
import { indexHtml } from './index-html.js';
import { clearedSessionCookie, sessionCookie, sessionToken } from './session-cookie.js';

export interface ConsoleRoutesOptions {
  readonly db: Kysely<Database>;
  /** Resolves tokens (a TokenStore): sign-in checks the pasted token before keeping it. */
  readonly tokens: { verify(token: string): Promise<VerifyResult> };
  readonly scope: ScopeGuard;
  /** For seat usage in the accounts overview; absent: no seats shown. */
  readonly driver?: InventoryDriver;
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
 * The read-only web console: the page and its bundle under `/ui`, sign-in and sign-out
 * (`/ui/session`), and two read routes the pages need that the API lacked: `GET /v1/accounts`
 * (status:read) and `GET /v1/drift/history` (drift:read). Every other fact the console shows
 * comes from the existing `/v1` routes, with the session cookie standing in for the bearer
 * header on GET (see auth/request-credential.ts).
 */
export const consoleRoutes: FastifyPluginAsync<ConsoleRoutesOptions> = async (app, options) => {
  const { db, tokens, scope, driver } = options;

  const page = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', consoleCsp)
      .send(indexHtml);
  app.get('/ui', { schema: { hide: true } }, page);
  app.get('/ui/*', { schema: { hide: true } }, page);
  app.get('/ui/assets/app.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send((await consoleAssets()).js),
  );
  app.get('/ui/assets/app.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send((await consoleAssets()).css),
  );

  app.post<{ Body: { token: string } }>(
    '/ui/session',
    {
      schema: {
        summary: 'Console sign-in: keeps the token in an HttpOnly, SameSite=Strict cookie',
        body: signInBody,
        response: { 200: sessionView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await tokens.verify(request.body.token);
      await options.audit.record({
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
    { schema: { summary: 'Who the console is signed in as', response: { 200: sessionView } } },
    async (request, reply) => {
      const token = sessionToken(request.headers.cookie);
      const result = token === undefined ? undefined : await tokens.verify(token);
      if (!result?.ok) return sendProblem(reply, problem('unauthorized', 'not signed in'));
      return view(result.principal);
    },
  );

  // Sign-out only forgets the cookie. The app parses JSON bodies only (a form's is refused, 415).
  app.post('/ui/sign-out', { schema: { summary: 'Console sign-out' } }, async (request, reply) =>
    reply
      .header('set-cookie', clearedSessionCookie(isHttps(request)))
      .code(204)
      .send(),
  );

  app.get<{ Querystring: { cursor?: string; limit: number } }>(
    '/v1/accounts',
    {
      config: { action: 'status:read' },
      schema: {
        summary: 'Accounts and sub-accounts with open drift, unmanaged objects, last scan, seats',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cursor: { type: 'string', maxLength: 128 },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 100 },
          },
        },
        response: { ...problemResponses },
      },
    },
    async (request) => {
      const visibleAccountIds = await scope.accountIds(principalOf(request));
      const q = request.query;
      return accountsOverview(db, driver, {
        visibleAccountIds,
        limit: q.limit,
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      });
    },
  );

  app.get<{ Querystring: { account_id?: string; days: number } }>(
    '/v1/drift/history',
    {
      config: { action: 'drift:read' },
      schema: {
        summary: 'Open drift at the end of each recent day',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            account_id: { type: 'string', minLength: 1, maxLength: 128 },
            days: { type: 'integer', minimum: 1, maximum: 366, default: 30 },
          },
        },
        response: { ...problemResponses },
      },
    },
    async (request) => {
      const visibleAccountIds = await scope.accountIds(principalOf(request));
      const { account_id: accountId, days } = request.query;
      if (accountId && visibleAccountIds !== null && !visibleAccountIds.includes(accountId))
        throw new ProblemError('not_found', `no account ${accountId} visible to this token`);
      return {
        points: await driftHistory(db, {
          visibleAccountIds,
          days,
          ...(accountId ? { accountId } : {}),
        }),
      };
    },
  );
};
