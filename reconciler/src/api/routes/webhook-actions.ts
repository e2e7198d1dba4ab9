import type { FastifyPluginAsync } from 'fastify';
import { asPlatformActor } from '../../driver/platform-actor.js';
import { PlatformError, type InventoryDriver } from '../../driver/platform-driver.js';
import { canActOnWebhooks, type WebhookAttempt } from '../../driver/webhook-actions.js';
import type { ResourceStore } from '../../resources/resource-store.js';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';

export interface WebhookActionRoutesOptions {
  readonly store: ResourceStore;
  readonly driver?: InventoryDriver;
}

const attempt = {
  type: 'object',
  required: ['delivery_id', 'http_status', 'ok', 'latency_ms', 'at'],
  properties: {
    webhook_id: { type: 'string', description: 'The webhook (its telform `id`).' },
    delivery_id: { type: 'integer', description: 'The attempt, as the webhook history lists it.' },
    http_status: {
      type: ['integer', 'null'],
      description: 'What the endpoint answered; null when it could not be reached.',
    },
    ok: { type: 'boolean', description: 'The endpoint answered 2xx.' },
    latency_ms: { type: 'integer', description: 'How long the endpoint took, in milliseconds.' },
    at: { type: 'string', format: 'date-time' },
    retry_of: { type: 'integer', description: 'The delivery this attempt retried.' },
  },
} as const;

/**
 * The contact-center webhook actions through telform (000 §8): "test the connection" on a
 * webhook, and Retry of a delivery in the webhook history. Both post for real on the platform,
 * as the caller (X-Telform-Actor), and, like every write, are audit events.
 */
export const webhookActionRoutes: FastifyPluginAsync<WebhookActionRoutesOptions> = async (
  app,
  { store, driver },
) => {
  const actions = () => {
    if (!driver || !canActOnWebhooks(driver))
      throw new ProblemError('not_ready', 'this daemon has no platform with webhook actions');
    return driver;
  };
  const onPlatform = async (id: string, scope: { scopeAccountId: string | null }) => {
    const account =
      (await store.get('account', id, scope)) ??
      (await store.get('sub_account', id, scope).catch(() => undefined));
    if (!account) throw new ProblemError('not_found', `no account or sub_account ${id}`);
    if (!account.status.external_id)
      throw new ProblemError('conflict', `${id} is not on the platform yet`);
    return account.status.external_id;
  };
  const platformCall = async (name: string, fn: () => Promise<WebhookAttempt>) => {
    try {
      return await asPlatformActor(name, fn);
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      const code = err.reason === 'not_found' ? 'not_found' : 'platform_unavailable';
      throw new ProblemError(code, `the platform answered: ${err.message}`);
    }
  };

  app.post<{ Params: { id: string } }>('/v1/resources/webhook/:id/test', {
    config: { action: 'resources:write' },
    schema: {
      tags: ['webhooks'],
      summary: 'Test the connection: the platform posts a test event and reports the answer',
      params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      response: { 200: attempt, ...problemResponses },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const scope = { scopeAccountId: principal.scopeAccountId };
      const hook = await store.get('webhook', request.params.id, scope);
      if (!hook) throw new ProblemError('not_found', `no webhook ${request.params.id}`);
      if (!hook.status.external_id)
        throw new ProblemError('conflict', `${hook.id} is not on the platform yet`);
      const accountExternalId = await onPlatform(String(hook.account_id), scope);
      const ref = {
        kind: 'webhook',
        id: hook.id,
        externalId: hook.status.external_id,
        accountExternalId,
      };
      const result = await platformCall(principal.name, () => actions().testWebhook(ref));
      return { ...result, webhook_id: hook.id };
    },
  });

  app.post<{ Params: { id: string; deliveryId: number } }>(
    '/v1/accounts/:id/webhook-history/:deliveryId/retry',
    {
      config: { action: 'resources:write' },
      schema: {
        tags: ['webhooks'],
        summary: 'Retry a delivery of the webhook history: the platform posts its payload again',
        params: {
          type: 'object',
          properties: { id: { type: 'string' }, deliveryId: { type: 'integer', minimum: 1 } },
          required: ['id', 'deliveryId'],
        },
        response: { 200: attempt, ...problemResponses },
      },
      handler: async (request) => {
        const principal = principalOf(request);
        const scope = { scopeAccountId: principal.scopeAccountId };
        const accountExternalId = await onPlatform(request.params.id, scope);
        return platformCall(principal.name, () =>
          actions().retryWebhookDelivery(accountExternalId, request.params.deliveryId),
        );
      },
    },
  );
};
