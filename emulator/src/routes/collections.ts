import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessibleAccount } from '../auth/access.js';
import { personOf } from '../auth/principal.js';
import { errors } from '../errors/error-catalogue.js';
import { idempotent } from '../http/idempotency.js';
import {
  note,
  parseLimit,
  principalOf,
  replyDurable,
  ruleContext,
} from '../http/request-context.js';
import type { ObjectRecord } from '../model/records.js';
import { createObject, deleteObject, updateObject } from '../services/object-service.js';
import type { Platform } from '../services/platform.js';
import { objectView } from '../services/views.js';
import { listPage } from './list-page.js';
import { objectBody } from './object-body.js';
import {
  attributesBody,
  idempotencyHeader,
  listQuery,
  objectParams,
  security,
} from './route-schemas.js';

interface Params {
  accountId: string;
  collection: string;
  objectId?: string;
}

/**
 * Every account-scoped kind that is not a singleton, at `/v1/accounts/{accountId}/{collection}`
 * (users, seats, domains, webhooks, sso_connectors, devices, button_templates, locations,
 * notification_subscriptions, sub_accounts).
 */
export function collectionRoutes(p: Platform) {
  const resolve = (request: FastifyRequest, verb: string, type: 'read' | 'write') => {
    const principal = principalOf(request);
    const { accountId, collection, objectId } = request.params as Params;
    const k = p.kinds.collection(collection);
    note(request, {
      accountId,
      event: `${k.kind}.${verb}`,
      type,
      resource: objectId ? `${k.kind}/${objectId}` : k.kind,
    });
    accessibleAccount(p, principal, accountId);
    const find = (): ObjectRecord => {
      const rec = objectId ? p.repo.get(objectId) : undefined;
      if (!rec || rec.kind !== k.kind || rec.account_id !== accountId) {
        throw errors.notFound(`${k.kind} ${objectId ?? ''} in account ${accountId}`);
      }
      return rec;
    };
    return { principal, accountId, kind: k.kind, find, ctx: ruleContext(p, principal) };
  };
  const tags = ['objects'];

  return async (app: FastifyInstance) => {
    app.post(
      '/v1/accounts/:accountId/:collection',
      {
        schema: {
          tags,
          security,
          summary: 'Create an object (idempotent on client_reference)',
          params: objectParams,
          body: attributesBody,
          headers: idempotencyHeader,
        },
      },
      async (request, reply) => {
        const r = resolve(request, 'create', 'write');
        const { clientRef, attrs } = objectBody(request.body);
        const out = idempotent(p, request, () => {
          const c = createObject(p, r.ctx, r.kind, r.accountId, attrs, clientRef);
          const view = objectView(p, r.ctx, c.rec);
          return {
            status: c.created ? 201 : 200,
            body: c.apiKey ? { ...view, api_key: c.apiKey } : view,
          };
        });
        if (request.platformActivity)
          request.platformActivity.resource = `${r.kind}/${(out.body as { id: string }).id}`;
        return replyDurable(p, reply, out.status, out.body);
      },
    );

    app.get(
      '/v1/accounts/:accountId/:collection',
      {
        schema: {
          tags,
          security,
          summary: 'List objects of a kind, paginated',
          params: objectParams,
          querystring: listQuery,
        },
      },
      async (request) => {
        const r = resolve(request, 'list', 'read');
        const q = request.query as Record<string, string | undefined>;
        const page = listPage(
          p.repo.list(r.accountId, r.kind),
          q.cursor,
          parseLimit(q.limit),
          q.client_reference,
        );
        return {
          items: page.items.map((rec) => objectView(p, r.ctx, rec)),
          next_cursor: page.next,
        };
      },
    );

    app.get(
      '/v1/accounts/:accountId/:collection/:objectId',
      { schema: { tags, security, summary: 'Read an object', params: objectParams } },
      async (request) => {
        const r = resolve(request, 'read', 'read');
        return objectView(p, r.ctx, r.find());
      },
    );

    app.put(
      '/v1/accounts/:accountId/:collection/:objectId',
      {
        schema: {
          tags,
          security,
          summary: "Replace an object's attributes",
          params: objectParams,
          body: attributesBody,
          headers: idempotencyHeader,
        },
      },
      async (request, reply) => {
        const r = resolve(request, 'update', 'write');
        const { attrs } = objectBody(request.body);
        const prev = r.find();
        const out = idempotent(p, request, () => ({
          status: 200,
          body: objectView(p, r.ctx, updateObject(p, r.ctx, prev, attrs)),
        }));
        return replyDurable(p, reply, out.status, out.body);
      },
    );

    app.delete(
      '/v1/accounts/:accountId/:collection/:objectId',
      { schema: { tags, security, summary: 'Delete an object (permanent)', params: objectParams } },
      async (request, reply) => {
        const r = resolve(request, 'delete', 'write');
        deleteObject(p, r.ctx, r.find(), personOf(r.principal));
        await p.store.durable();
        return reply.code(204).send();
      },
    );
  };
}
