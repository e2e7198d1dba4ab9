import type { FastifyInstance } from 'fastify';
import { accessibleAccount } from '../auth/access.js';
import { errors } from '../errors/error-catalogue.js';
import { idempotent } from '../http/idempotency.js';
import {
  note,
  parseLimit,
  principalOf,
  replyDurable,
  ruleContext,
} from '../http/request-context.js';
import { createObject, deleteObject, updateObject } from '../services/object-service.js';
import type { Platform } from '../services/platform.js';
import { objectView } from '../services/views.js';
import { personOf } from '../auth/principal.js';
import { listPage } from './list-page.js';
import { objectBody } from './object-body.js';
import {
  accountParams,
  attributesBody,
  idempotencyHeader,
  listQuery,
  security,
} from './route-schemas.js';

/** Top-level accounts: created by a partner, each with its own API key returned once. */
export function accountRoutes(p: Platform) {
  return async (app: FastifyInstance) => {
    const tags = ['accounts'];

    app.post(
      '/v1/accounts',
      {
        schema: {
          tags,
          security,
          summary: 'Create an account (partner key)',
          body: attributesBody,
          headers: idempotencyHeader,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.type === 'account')
          throw errors.forbidden('only a partner may create accounts');
        const { clientRef, attrs } = objectBody(request.body);
        const ctx = ruleContext(p, principal);
        const out = idempotent(p, request, () => {
          const r = createObject(p, ctx, 'account', null, attrs, clientRef);
          const view = objectView(p, ctx, r.rec);
          return {
            status: r.created ? 201 : 200,
            body: r.apiKey ? { ...view, api_key: r.apiKey } : view,
          };
        });
        const id = (out.body as { id: string }).id;
        note(request, {
          accountId: id,
          event: 'account.create',
          type: 'write',
          resource: `account/${id}`,
        });
        return replyDurable(p, reply, out.status, out.body);
      },
    );

    app.get(
      '/v1/accounts',
      {
        schema: {
          tags,
          security,
          summary: 'List the accounts the caller may act on',
          querystring: listQuery,
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const q = request.query as Record<string, string | undefined>;
        const visible = [...p.repo.list(null, 'account')].filter((rec) => {
          try {
            accessibleAccount(p, principal, rec.id);
            return true;
          } catch {
            return false;
          }
        });
        const page = listPage(visible, q.cursor, parseLimit(q.limit), q.client_reference);
        const ctx = ruleContext(p, principal);
        return { items: page.items.map((r) => objectView(p, ctx, r)), next_cursor: page.next };
      },
    );

    app.get(
      '/v1/accounts/:accountId',
      {
        schema: {
          tags,
          security,
          summary: 'Read an account or sub-account',
          params: accountParams,
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { accountId } = request.params as { accountId: string };
        note(request, {
          accountId,
          event: 'account.read',
          type: 'read',
          resource: `account/${accountId}`,
        });
        const rec = accessibleAccount(p, principal, accountId);
        return objectView(p, ruleContext(p, principal), rec);
      },
    );

    app.put(
      '/v1/accounts/:accountId',
      {
        schema: {
          tags,
          security,
          summary: "Replace an account's settings",
          params: accountParams,
          body: attributesBody,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { accountId } = request.params as { accountId: string };
        note(request, {
          accountId,
          event: 'account.update',
          type: 'write',
          resource: `account/${accountId}`,
        });
        const prev = accessibleAccount(p, principal, accountId);
        const { attrs } = objectBody(request.body);
        const ctx = ruleContext(p, principal);
        const out = idempotent(p, request, () => ({
          status: 200,
          body: objectView(p, ctx, updateObject(p, ctx, prev, attrs)),
        }));
        return replyDurable(p, reply, out.status, out.body);
      },
    );

    app.delete(
      '/v1/accounts/:accountId',
      {
        schema: {
          tags,
          security,
          summary: 'Delete an account and everything it owns',
          params: accountParams,
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { accountId } = request.params as { accountId: string };
        note(request, {
          accountId,
          event: 'account.delete',
          type: 'write',
          resource: `account/${accountId}`,
        });
        const rec = accessibleAccount(p, principal, accountId);
        if (principal.type === 'account' && principal.accountId === accountId) {
          throw errors.forbidden('an account cannot delete itself; ask its partner');
        }
        deleteObject(p, ruleContext(p, principal), rec, personOf(principal));
        await p.store.durable();
        return reply.code(204).send();
      },
    );
  };
}
