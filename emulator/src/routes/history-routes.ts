import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  historyFilterQuery,
  parseHistoryFilter,
  searchMatches,
} from '../activity/history-filter.js';
import type { HistoryEntry } from '../activity/history.js';
import { accessibleAccount } from '../auth/access.js';
import { errors } from '../errors/error-catalogue.js';
import { note, principalOf } from '../http/request-context.js';
import { subtree } from '../model/account-tree.js';
import type { Platform } from '../services/platform.js';
import { accountParams, security } from './route-schemas.js';

const tags = ['platform data'];
const entries = (props: Record<string, unknown>) => ({
  200: {
    type: 'object',
    properties: {
      account_id: { type: 'string' },
      entries: { type: 'array', items: { type: 'object', properties: props } },
    },
  },
});

/**
 * The three histories of the consoles, kept three months, newest first, each with the date
 * filters and the search bar of its page: deletion history (contact-center "Deletion history":
 * search and date filters), seat log (CPaaS "Logs": search, filters by account, date, time) and
 * webhook history (contact-center webhooks "History": search and date filters; per webhook).
 */
export function historyRoutes(p: Platform) {
  const access = (request: FastifyRequest, event: string) => {
    const principal = principalOf(request);
    const { accountId } = request.params as { accountId: string };
    note(request, {
      accountId,
      event,
      type: 'read',
      resource: `${event.split('.')[0]}/${accountId}`,
    });
    accessibleAccount(p, principal, accountId);
    const q = request.query as Record<string, string | undefined>;
    return { accountId, q, filter: parseHistoryFilter(q) };
  };

  return async (app: FastifyInstance) => {
    app.get(
      '/v1/accounts/:accountId/deletion_history',
      {
        schema: {
          tags,
          security,
          summary: 'Deletions of the last three months',
          params: accountParams,
          querystring: { type: 'object', properties: historyFilterQuery },
          response: entries({
            deleted_at: { type: 'string' },
            deleted_by: { type: 'string' },
            entity: { type: 'string' },
            count: { type: 'integer' },
          }),
        },
      },
      async (request) => {
        const { accountId, filter } = access(request, 'deletion_history.read');
        const found = p.deletions.list(accountId, filter, (e) =>
          searchMatches(filter, [e.deleted_by, e.entity]),
        );
        return {
          account_id: accountId,
          entries: found.map((e) => ({
            deleted_at: e.time,
            deleted_by: e.deleted_by,
            entity: e.entity,
            count: e.count,
          })),
        };
      },
    );

    app.get(
      '/v1/accounts/:accountId/seat_log',
      {
        schema: {
          tags,
          security,
          summary: 'Seat assignments and removals of the account and its sub-accounts',
          params: accountParams,
          querystring: {
            type: 'object',
            properties: {
              ...historyFilterQuery,
              account: { type: 'string', description: 'Only events of this (sub-)account.' },
            },
          },
          response: entries({
            at: { type: 'string' },
            done_by: { type: 'string' },
            event: { type: 'string' },
            impacted_user_id: { type: 'string' },
            account_id: { type: 'string' },
          }),
        },
      },
      async (request) => {
        const { accountId, q, filter } = access(request, 'seat_log.read');
        const tree = subtree(p.repo, accountId);
        if (q.account !== undefined && !tree.includes(q.account)) {
          throw errors.badRequest(
            `account ${q.account} is not ${accountId} or one of its sub-accounts`,
            'account',
            'in_subtree',
          );
        }
        const found = p.seatLog.list(q.account ?? tree, filter, (e) =>
          searchMatches(filter, [e.done_by, e.event, e.impacted_user_id, e.account_id]),
        );
        return {
          account_id: accountId,
          entries: found.map((e) => ({
            at: e.time,
            done_by: e.done_by,
            event: e.event,
            impacted_user_id: e.impacted_user_id,
            account_id: e.account_id,
          })),
        };
      },
    );

    app.get(
      '/v1/accounts/:accountId/webhook_history',
      {
        schema: {
          tags,
          security,
          summary: 'Webhook deliveries of the last three months, with their payloads',
          params: accountParams,
          querystring: {
            type: 'object',
            properties: {
              ...historyFilterQuery,
              webhook_id: {
                type: 'string',
                description: 'Only deliveries of this webhook (an unknown id has none).',
              },
            },
          },
          response: entries(deliveryProps),
        },
      },
      async (request) => {
        const { accountId, q, filter } = access(request, 'webhook_history.read');
        const found = p.deliveries.list(
          accountId,
          filter,
          (e) =>
            (q.webhook_id === undefined || e.webhook_id === q.webhook_id) &&
            searchMatches(filter, [e.trigger, e.url, e.http_status, e.webhook_id]),
        );
        return { account_id: accountId, entries: found.map(deliveryView) };
      },
    );
  };
}

const deliveryProps = {
  delivery_id: { type: 'integer' },
  webhook_id: { type: 'string' },
  at: { type: 'string' },
  trigger: { type: 'string' },
  url: { type: 'string' },
  authentication: { type: 'boolean' },
  http_status: { type: ['integer', 'null'] },
  latency_ms: { type: ['integer', 'null'] },
  payload: { type: 'string', description: 'The JSON body that was posted (Expand).' },
  retry_of: { type: 'integer' },
};

/** One delivery as the History tab shows it, the posted body included (Enter/Expand). */
export function deliveryView(e: HistoryEntry) {
  return {
    delivery_id: e.seq,
    webhook_id: e.webhook_id,
    at: e.time,
    trigger: e.trigger,
    url: e.url,
    authentication: e.authentication,
    http_status: e.http_status,
    latency_ms: e.latency_ms ?? null,
    payload: e.payload,
    ...(e.retry_of !== undefined ? { retry_of: e.retry_of } : {}),
  };
}
