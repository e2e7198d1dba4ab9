import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessibleAccount } from '../auth/access.js';
import { personOf } from '../auth/principal.js';
import { errors } from '../errors/error-catalogue.js';
import { idempotent } from '../http/idempotency.js';
import { note, principalOf, replyDurable, ruleContext } from '../http/request-context.js';
import { newToken, rotateIfDue } from '../rules/provisioning-rules.js';
import { createObject, deleteObject, updateObject } from '../services/object-service.js';
import type { Platform } from '../services/platform.js';
import { objectView } from '../services/views.js';
import { objectBody } from './object-body.js';
import { attributesBody, idempotencyHeader, security } from './route-schemas.js';

const params = {
  type: 'object',
  properties: {
    accountId: { type: 'string', description: 'Platform id of the account.' },
    kind: {
      type: 'string',
      description:
        'data_retention, security_policy, sms_settings, telephony_settings, provisioning or customization',
    },
  },
  required: ['accountId', 'kind'],
} as const;

/**
 * Per-account settings documents (singleton kinds): GET (404 until first written), PUT (creates
 * or replaces), DELETE (back to the platform's defaults).
 */
export function settingsRoutes(p: Platform) {
  const resolve = (request: FastifyRequest, verb: string, type: 'read' | 'write') => {
    const principal = principalOf(request);
    const { accountId, kind } = request.params as { accountId: string; kind: string };
    note(request, { accountId, event: `${kind}.${verb}`, type, resource: `${kind}/${accountId}` });
    const k = p.kinds.settings(kind);
    accessibleAccount(p, principal, accountId);
    const found = p.repo.list(accountId, k.kind).next().value ?? undefined;
    const current = found?.kind === 'provisioning' ? rotateIfDue(p.repo, found, p.clock()) : found;
    return { principal, accountId, kind: k.kind, current, ctx: ruleContext(p, principal) };
  };
  const tags = ['settings'];

  return async (app: FastifyInstance) => {
    app.get(
      '/v1/accounts/:accountId/settings/:kind',
      { schema: { tags, security, summary: 'Read a settings document', params } },
      async (request, reply) => {
        const r = resolve(request, 'read', 'read');
        if (!r.current) throw errors.notFound(`${r.kind} of account ${r.accountId} (never set)`);
        // Durable: a read may have found the token due for its scheduled rotation.
        return replyDurable(p, reply, 200, objectView(p, r.ctx, r.current));
      },
    );

    app.put(
      '/v1/accounts/:accountId/settings/:kind',
      {
        schema: {
          tags,
          security,
          summary: 'Create or replace a settings document',
          params,
          body: attributesBody,
          headers: idempotencyHeader,
        },
      },
      async (request, reply) => {
        const r = resolve(request, 'update', 'write');
        const { clientRef, attrs } = objectBody(request.body);
        const out = idempotent(p, request, () => {
          if (r.current)
            return {
              status: 200,
              body: objectView(p, r.ctx, updateObject(p, r.ctx, r.current, attrs)),
            };
          const c = createObject(p, r.ctx, r.kind, r.accountId, attrs, clientRef);
          return { status: 201, body: objectView(p, r.ctx, c.rec) };
        });
        return replyDurable(p, reply, out.status, out.body);
      },
    );

    app.delete(
      '/v1/accounts/:accountId/settings/:kind',
      { schema: { tags, security, summary: 'Reset a settings document to defaults', params } },
      async (request, reply) => {
        const r = resolve(request, 'delete', 'write');
        if (!r.current) throw errors.notFound(`${r.kind} of account ${r.accountId} (never set)`);
        deleteObject(p, r.ctx, r.current, personOf(r.principal));
        await p.store.durable();
        return reply.code(204).send();
      },
    );

    app.post(
      '/v1/accounts/:accountId/settings/provisioning/rotate',
      {
        schema: {
          tags,
          security,
          summary: 'Rotate the provisioning token (the old one stops working)',
          params: { type: 'object', properties: { accountId: { type: 'string' } } },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { accountId } = request.params as { accountId: string };
        note(request, {
          accountId,
          event: 'provisioning.rotate',
          type: 'write',
          resource: `provisioning/${accountId}`,
        });
        accessibleAccount(p, principal, accountId);
        const current = p.repo.list(accountId, 'provisioning').next().value;
        if (!current)
          throw errors.notFound(
            `provisioning of account ${accountId} (generate it with PUT first)`,
          );
        const ctx = ruleContext(p, principal);
        const rec = {
          ...current,
          generated: { ...current.generated, ...newToken(ctx.now) },
          updated_at: ctx.now.toISOString(),
        };
        p.repo.put(rec);
        return replyDurable(p, reply, 200, objectView(p, ctx, rec));
      },
    );
  };
}
