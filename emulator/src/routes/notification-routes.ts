import type { FastifyInstance, FastifyRequest } from 'fastify';
import { historyFilterQuery, parseHistoryFilter } from '../activity/history-filter.js';
import { accessibleAccount } from '../auth/access.js';
import { errors } from '../errors/error-catalogue.js';
import {
  decodeCursor,
  encodeCursor,
  note,
  principalOf,
  replyDurable,
} from '../http/request-context.js';
import {
  NotificationFeed,
  notificationEvents,
  notificationView,
} from '../rules/notification-feed.js';
import type { Platform } from '../services/platform.js';
import { requireAdmin } from './admin-guard.js';
import { accountParams, security } from './route-schemas.js';

const notificationProps = {
  notification_id: { type: 'integer' },
  event: { type: 'string', enum: [...notificationEvents] },
  created_at: { type: 'string' },
  subscription_id: { type: 'string' },
  recipient: { type: 'string' },
  message: { type: 'string' },
} as const;

const notificationList = {
  type: 'object',
  properties: {
    notifications: { type: 'array', items: { type: 'object', properties: notificationProps } },
  },
} as const;

/**
 * The CPaaS "Notifications" tab: the notifications of the events an account subscribed to
 * (type, creation time), newest first, by type and creation date, paged with an opaque cursor
 * (older ones). The console simulations play what causes them: the balance changing, a
 * campaign update.
 */
export function notificationRoutes(p: Platform) {
  const feed = new NotificationFeed(p.store, p.repo, p.notifications);
  const consoleAccount = (id: string) => {
    const rec = p.repo.get(id);
    if (!rec || (rec.kind !== 'account' && rec.kind !== 'sub_account'))
      throw errors.notFound(`account ${id}`);
  };

  return async (app: FastifyInstance) => {
    app.get(
      '/v1/accounts/:accountId/notifications',
      {
        schema: {
          tags: ['platform data'],
          security,
          summary: 'Notifications of the subscribed events, newest first',
          params: accountParams,
          querystring: {
            type: 'object',
            properties: {
              since: historyFilterQuery.since,
              until: historyFilterQuery.until,
              limit: historyFilterQuery.limit,
              event: {
                type: 'string',
                description: `Only this type: ${notificationEvents.join(', ')}.`,
              },
              cursor: {
                type: 'string',
                description: '`next_cursor` of the previous page (older).',
              },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                account_id: { type: 'string' },
                entries: {
                  type: 'array',
                  items: { type: 'object', properties: notificationProps },
                },
                next_cursor: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
      async (request) => {
        const { accountId } = request.params as { accountId: string };
        note(request, {
          accountId,
          event: 'notifications.read',
          type: 'read',
          resource: `notifications/${accountId}`,
        });
        accessibleAccount(p, principalOf(request), accountId);
        const q = request.query as Record<string, string | undefined>;
        const filter = parseHistoryFilter({ since: q.since, until: q.until, limit: q.limit });
        if (q.event !== undefined && !notificationEvents.includes(q.event as never)) {
          throw errors.badRequest(
            `event must be one of ${notificationEvents.join(', ')}`,
            'event',
            'enum',
          );
        }
        const before = q.cursor === undefined ? Infinity : decodeCursor(q.cursor);
        const found = p.notifications.list(
          accountId,
          { ...filter, limit: filter.limit + 1 },
          (e) => e.seq < before && (q.event === undefined || e.event === q.event),
        );
        const page = found.slice(0, filter.limit);
        const more = found.length > filter.limit;
        return {
          account_id: accountId,
          entries: page.map(notificationView),
          next_cursor: more ? encodeCursor(page[page.length - 1]!.seq) : null,
        };
      },
    );

    const simulation = { onRequest: async (request: FastifyRequest) => requireAdmin(request) };
    app.post(
      '/_emulator/console/accounts/:accountId/balance',
      {
        ...simulation,
        schema: {
          tags: ['emulator console'],
          security,
          summary: "Set the account's balance (balance and low-balance notifications follow)",
          params: accountParams,
          response: { 200: notificationList },
        },
      },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        consoleAccount(accountId);
        const b = (request.body ?? {}) as { balance?: unknown };
        const notifications = feed.balance(accountId, b.balance, p.clock());
        note(request, {
          accountId,
          event: 'balance.update',
          type: 'write',
          resource: `account/${accountId}`,
        });
        return replyDurable(p, reply, 200, { notifications });
      },
    );

    app.post(
      '/_emulator/console/accounts/:accountId/campaign-events',
      {
        ...simulation,
        schema: {
          tags: ['emulator console'],
          security,
          summary: 'A campaign changes state (campaign event notifications follow)',
          params: accountParams,
          response: { 200: notificationList },
        },
      },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        consoleAccount(accountId);
        const b = (request.body ?? {}) as { campaign?: unknown; status?: unknown };
        const notifications = feed.campaign(accountId, b.campaign, b.status, p.clock());
        note(request, {
          accountId,
          event: 'campaign.update',
          type: 'write',
          resource: `account/${accountId}`,
        });
        return replyDurable(p, reply, 200, { notifications });
      },
    );
  };
}
