import type { FastifyPluginAsync } from 'fastify';
import { markHiddenByScope, type ScopeGuard } from '../../auth/scope.js';
import { notificationEvents } from '../../notifications/enqueue-notification.js';
import type {
  SubscriptionInput,
  SubscriptionStore,
} from '../../notifications/subscription-store.js';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';

export interface NotificationRoutesOptions {
  readonly subscriptions: SubscriptionStore;
  readonly scope: ScopeGuard;
}

const subscriptionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    account_id: { type: ['string', 'null'] },
    enabled: { type: 'boolean' },
    secret_set: { type: 'boolean' },
    created_by: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'secret', 'events'],
  properties: {
    url: {
      type: 'string',
      maxLength: 2048,
      pattern: '^https?://[^\\s]+$',
      description: 'Where signed POSTs go.',
    },
    secret: {
      type: 'string',
      minLength: 16,
      maxLength: 256,
      writeOnly: true,
      description: 'HMAC-SHA256 key for the `telform-signature` header. Write-only.',
    },
    events: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: [...notificationEvents] },
    },
    account_id: {
      type: ['string', 'null'],
      maxLength: 128,
      description: 'Only events of this account tree; null: every account.',
    },
    enabled: { type: 'boolean', default: true },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

/**
 * `/v1/notifications/subscriptions`: webhook subscribers of drift, seat and rotation events.
 * Registering one sends account data to a URL of the caller's choice, so it takes
 * `notifications:manage` (admin and operator, who can already point platform webhooks anywhere;
 * never auditor) and stays inside the token's account scope. Out of scope reads as not found.
 */
export const notificationRoutes: FastifyPluginAsync<NotificationRoutesOptions> = async (
  app,
  { subscriptions, scope },
) => {
  const action = { action: 'notifications:manage' as const };
  const visible = async (request: Parameters<typeof principalOf>[0], accountId: string | null) => {
    const ids = await scope.accountIds(principalOf(request));
    return ids === null || (accountId !== null && ids.includes(accountId));
  };

  app.get(
    '/v1/notifications/subscriptions',
    {
      config: action,
      schema: {
        tags: ['notifications'],
        summary: 'List webhook subscriptions',
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: subscriptionSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: await subscriptions.list(await scope.accountIds(principalOf(request))),
    }),
  );

  app.post<{ Body: SubscriptionInput }>(
    '/v1/notifications/subscriptions',
    {
      config: action,
      schema: {
        tags: ['notifications'],
        summary: 'Subscribe a webhook to events',
        body: createBody,
        response: { 201: subscriptionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const accountId = request.body.account_id ?? null;
      if (!(await visible(request, accountId))) {
        throw new ProblemError(
          'validation_failed',
          'account_id must name an account this token sees',
          [
            {
              field: 'account_id',
              rule: 'scope',
              message:
                accountId === null
                  ? 'a token scoped to one account must name an account of its scope'
                  : `no account ${accountId} visible to this token`,
            },
          ],
        );
      }
      return reply
        .code(201)
        .send(await subscriptions.create(request.body, principalOf(request).name));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/notifications/subscriptions/:id',
    {
      config: action,
      schema: {
        tags: ['notifications'],
        summary: 'Read a webhook subscription',
        params: idParams,
        response: { 200: subscriptionSchema, ...problemResponses },
      },
    },
    async (request) => {
      const found = await subscriptions.get(request.params.id);
      if (!found || !(await visible(request, found.account_id))) {
        if (found) markHiddenByScope(request);
        throw new ProblemError('not_found', `no subscription ${request.params.id}`);
      }
      return found;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/notifications/subscriptions/:id',
    {
      config: action,
      schema: {
        tags: ['notifications'],
        summary: 'Delete a webhook subscription',
        params: idParams,
        response: { 204: { type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await subscriptions.get(request.params.id);
      if (!found || !(await visible(request, found.account_id))) {
        if (found) markHiddenByScope(request);
        throw new ProblemError('not_found', `no subscription ${request.params.id}`);
      }
      await subscriptions.delete(found.id);
      return reply.code(204).send();
    },
  );
};
