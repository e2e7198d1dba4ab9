import type { FastifyPluginAsync } from 'fastify';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import { parseDuration } from '../../auth/parse-duration.js';
import { markHiddenByScope, type ScopeGuard } from '../../auth/scope.js';
import type { TokenInfo, TokenStore } from '../../auth/token-store.js';

export interface TokenRoutesOptions {
  readonly tokens: TokenStore;
  readonly scope: ScopeGuard;
}

const tokenSchema = {
  type: 'object',
  description: 'An API token, without the token itself.',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'operator', 'auditor'] },
    scope_account_id: { type: ['string', 'null'] },
    prefix: { type: 'string', description: 'First characters of the token, to tell tokens apart.' },
    created_by: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    expires_at: { type: ['string', 'null'], format: 'date-time' },
    revoked_at: { type: ['string', 'null'], format: 'date-time' },
    last_used_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'Shown as the actor in audit events.',
    },
    role: { type: 'string', enum: ['admin', 'operator', 'auditor'] },
    scope_account_id: {
      type: ['string', 'null'],
      maxLength: 128,
      description: 'Account or sub-account; null: all.',
    },
    expires_in: {
      type: 'string',
      pattern: '^[0-9]{1,6}[mhdw]$',
      description: 'Lifetime such as `30d`; absent: never.',
    },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 128 } },
} as const;

function toJson(info: TokenInfo) {
  return {
    id: info.id,
    name: info.name,
    role: info.role,
    scope_account_id: info.scopeAccountId,
    prefix: info.prefix,
    created_by: info.createdBy,
    created_at: info.createdAt.toISOString(),
    expires_at: info.expiresAt?.toISOString() ?? null,
    revoked_at: info.revokedAt?.toISOString() ?? null,
    last_used_at: info.lastUsedAt?.toISOString() ?? null,
  };
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
        body: createBody,
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
      const lifetime = body.expires_in === undefined ? undefined : parseDuration(body.expires_in);
      const { token, info } = await tokens.create({
        name: body.name,
        role: body.role,
        scopeAccountId,
        expiresAt: lifetime === undefined ? null : new Date(Date.now() + lifetime),
        createdBy: principal.name,
      });
      return reply.code(201).send({ ...toJson(info), token });
    },
  );

  fastify.get(
    '/v1/tokens',
    {
      config: { action: 'tokens:manage' },
      schema: {
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: tokenSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const all = await tokens.list();
      const items: ReturnType<typeof toJson>[] = [];
      for (const info of all) {
        const seen = await visible(request, info);
        if (seen) items.push(toJson(seen));
      }
      return { items };
    },
  );

  fastify.get<{ Params: { id: string } }>(
    '/v1/tokens/:id',
    {
      config: { action: 'tokens:manage' },
      schema: { params: idParams, response: { 200: tokenSchema, ...problemResponses } },
    },
    async (request) => {
      const found = await tokens.get(request.params.id);
      const info = await visible(request, found);
      if (!info) {
        if (found) markHiddenByScope(request);
        throw new ProblemError('not_found', `no token ${request.params.id}`);
      }
      return toJson(info);
    },
  );

  fastify.delete<{ Params: { id: string } }>(
    '/v1/tokens/:id',
    {
      config: { action: 'tokens:manage' },
      schema: { params: idParams, response: { 200: tokenSchema, ...problemResponses } },
    },
    async (request) => {
      const found = await tokens.get(request.params.id);
      const info = await visible(request, found);
      if (!info) {
        if (found) markHiddenByScope(request);
        throw new ProblemError('not_found', `no token ${request.params.id}`);
      }
      return toJson((await tokens.revoke(info.id)) ?? info);
    },
  );
};
