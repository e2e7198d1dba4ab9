import type { FastifyInstance } from 'fastify';
import { accessibleAccount } from '../auth/access.js';
import { errors } from '../errors/error-catalogue.js';
import { note, principalOf, replyDurable } from '../http/request-context.js';
import type { Platform } from '../services/platform.js';
import type { Delivery } from '../webhooks/webhook-dispatcher.js';
import { security } from './route-schemas.js';

const tags = ['webhooks'];
const attempt = {
  type: 'object',
  properties: {
    delivery_id: { type: 'integer' },
    webhook_id: { type: 'string' },
    url: { type: 'string' },
    http_status: { type: ['integer', 'null'], description: 'Null: no answer (refused, timeout).' },
    ok: { type: 'boolean', description: 'The endpoint answered 2xx.' },
    latency_ms: { type: 'integer' },
    at: { type: 'string' },
    retry_of: { type: 'integer' },
  },
} as const;

function answer(d: Delivery) {
  const ok = d.http_status !== null && d.http_status >= 200 && d.http_status < 300;
  return {
    delivery_id: d.seq,
    webhook_id: d.webhook_id,
    url: d.url,
    http_status: d.http_status,
    ok,
    latency_ms: d.latency_ms,
    at: d.time,
    ...(d.retry_of !== undefined ? { retry_of: d.retry_of } : {}),
  };
}

/**
 * The webhook actions of the contact-center console: "test the connection" (Settings) and
 * Retry (History). Both post for real and are recorded in the webhook history.
 */
export function webhookActionRoutes(p: Platform) {
  return async (app: FastifyInstance) => {
    app.post(
      '/v1/accounts/:accountId/webhooks/:webhookId/test',
      {
        schema: {
          tags,
          security,
          summary: 'Test the connection: post a test event and report the answer',
          response: { 200: attempt },
        },
      },
      async (request, reply) => {
        const { accountId, webhookId } = request.params as { accountId: string; webhookId: string };
        note(request, {
          accountId,
          event: 'webhook.test',
          type: 'write',
          resource: `webhook/${webhookId}`,
        });
        accessibleAccount(p, principalOf(request), accountId);
        const hook = p.repo.get(webhookId);
        if (!hook || hook.kind !== 'webhook' || hook.account_id !== accountId)
          throw errors.notFound(`webhook ${webhookId}`);
        return replyDurable(p, reply, 200, answer(await p.webhooks.test(hook)));
      },
    );

    app.post(
      '/v1/accounts/:accountId/webhook_history/:deliveryId/retry',
      {
        schema: {
          tags,
          security,
          summary: 'Send a recorded webhook delivery again',
          response: { 200: attempt },
        },
      },
      async (request, reply) => {
        const { accountId, deliveryId } = request.params as {
          accountId: string;
          deliveryId: string;
        };
        note(request, {
          accountId,
          event: 'webhook.retry',
          type: 'write',
          resource: `webhook_delivery/${deliveryId}`,
        });
        accessibleAccount(p, principalOf(request), accountId);
        const delivery = p.deliveries.get(Number(deliveryId)) as Delivery | undefined;
        if (!delivery || delivery.account_id !== accountId)
          throw errors.notFound(`webhook delivery ${deliveryId}`);
        const again = await p.webhooks.retry(delivery);
        if (!again) throw errors.notFound(`webhook ${delivery.webhook_id} (deleted since)`);
        return replyDurable(p, reply, 200, answer(again));
      },
    );
  };
}
