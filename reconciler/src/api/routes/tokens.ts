import type { FastifyPluginAsync } from 'fastify';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import { parseDuration } from '../../auth/parse-duration.js';
import { markHiddenByScope, type ScopeGuard } from '../../auth/scope.js';
import { createTokenBody, tokenIdParams, tokenJson, tokenSchema } from '../../auth/token-json.js';
import type { TokenInfo, TokenStore } from '../../auth/token-store.js';

export interface TokenRoutesOptions {
  readonly tokens: TokenStore;
  readonly scope: ScopeGuard;
}

/**
 * `/v1/tokens`: create (the token is in the 201 answer and nowhere else), list, read, revoke.
 * A scoped admin manages only tokens scoped inside its own tree; others do not exist for it.
 */
export const tokenRoutes: FastifyPluginAsync<TokenRoutesOptions> = async (
  fastify,
  { tokens, scope },
) => {
  const visible = async (
    request: Parameters<typeof principalOf>[0],
    info: TokenInfo | undefined,
  ) => {
    const principal = principalOf(request);
    if (!info) return undefined;
    if (principal.scopeAccountId === null) return info;
    const ok =
      info.scopeAccountId !== null && (await scope.coversAccount(principal, info.scopeAccountId));
    return ok ? info : undefined;
  };
  // A token outside the caller's scope answers exactly as a missing one (and is audited denied).
  const visibleOr404 = async (request: Parameters<typeof principalOf>[0], id: string) => {
    const found = await tokens.get(id);
    const info = await visible(request, found);
    if (!info) {
      if (found) markHiddenByScope(request);
      throw new ProblemError('not_found', `no token ${id}`);
    }
    return info;
  };

  fastify.post<{
    Body: {
      name: string;
      role: TokenInfo['role'];
      scope_account_id?: string | null;
      expires_in?: string;
    };
  }>(
    '/v1/tokens',
    {
      config: { action: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (the token is in this answer only)',
        body: createTokenBody,
        response: {
          201: {
            ...tokenSchema,
            properties: { ...tokenSchema.properties, token: { type: 'string' } },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const scopeAccountId = body.scope_account_id ?? null;
      // A scoped admin mints tokens inside its own tree only; an account outside it does not
      // exist for the caller, so the answer is the same as for an unknown id.
      if (principal.scopeAccountId !== null) {
        if (scopeAccountId === null || !(await scope.coversAccount(principal, scopeAccountId))) {
          if (scopeAccountId !== null && (await scope.hidesAny(principal, [scopeAccountId]))) {
            markHiddenByScope(request);
          }
          throw new ProblemError(
            'validation_failed',
            'scope_account_id is not an account in your scope',
            [
              {
                field: 'scope_account_id',
                rule: 'scope',
                message: 'scope_account_id must name an account or sub-account in your scope',
              },
            ],
          );
        }
      }
      // An unscoped admin may scope to any tenant, but only to one that exists: a token scoped to
      // a typo would see nothing, or a later account that happens to take that id.
      if (
        principal.scopeAccountId === null &&
        scopeAccountId !== null &&
        !(await scope.isAccount(scopeAccountId))
      ) {
        throw new ProblemError(
          'validation_failed',
          `scope_account_id ${scopeAccountId} is not an account`,
          [
            {
              field: 'scope_account_id',
              rule: 'reference',
              message: 'scope_account_id must name an existing account or sub-account',
            },
          ],
        );
      }
      const lifetime = body.expires_in === undefined ? undefined : parseDuration(body.expires_in);
      const { token, info } = await tokens.create({
        name: body.name,
        role: body.role,
        scopeAccountId,
        expiresAt: lifetime === undefined ? null : new Date(Date.now() + lifetime),
        createdBy: principal.name,
      });
      return reply.code(201).send({ ...tokenJson(info), token });
    },
  );

  fastify.get(
    '/v1/tokens',
    {
      config: { action: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens',
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: tokenSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const all = await tokens.list();
      const items: ReturnType<typeof tokenJson>[] = [];
      for (const info of all) {
        const seen = await visible(request, info);
        if (seen) items.push(tokenJson(seen));
      }
      return { items };
    },
  );

  fastify.get<{ Params: { id: string } }>(
    '/v1/tokens/:id',
    {
      config: { action: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Read an API token',
        params: tokenIdParams,
        response: { 200: tokenSchema, ...problemResponses },
      },
    },
    async (request) => tokenJson(await visibleOr404(request, request.params.id)),
  );

  fastify.delete<{ Params: { id: string } }>(
    '/v1/tokens/:id',
    {
      config: { action: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: tokenIdParams,
        response: { 200: tokenSchema, ...problemResponses },
      },
    },
    async (request) => {
      const info = await visibleOr404(request, request.params.id);
      return tokenJson((await tokens.revoke(info.id)) ?? info);
    },
  );
};
