import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActivityFilter, Outcome } from '../activity/activity-log.js';
import { accessibleAccount } from '../auth/access.js';
import { errors } from '../errors/error-catalogue.js';
import { note, parseLimit, principalOf, ruleContext } from '../http/request-context.js';
import { rootOf } from '../model/account-tree.js';
import { seatUsage } from '../rules/seat-rules.js';
import type { Platform } from '../services/platform.js';
import { security } from './route-schemas.js';

const params = {
  type: 'object',
  properties: { accountId: { type: 'string', description: 'Platform id of the account.' } },
  required: ['accountId'],
} as const;

/** Limits of an account: per kind, the account's own value or the platform default. */
export function limitsOf(p: Platform, accountId: string): Record<string, unknown> {
  const own = p.repo.meta(accountId)?.limits ?? {};
  const root = p.repo.meta(rootOf(p.repo, accountId))?.limits ?? {};
  const out: Record<string, unknown> = { account_id: accountId };
  for (const [kind, fallback] of Object.entries(p.config.defaultLimits)) {
    const name = `max_${kind.endsWith('s') ? kind : `${kind}s`}`;
    out[name] = kind === 'seat' ? (root.seat ?? fallback) : (own[kind] ?? fallback);
  }
  return out;
}

/**
 * Read-only platform data, shaped like the data-source schemas: limits and seat_usage; and the
 * activity log with the console's filters. The histories are in history-routes.ts.
 */
export function platformDataRoutes(p: Platform) {
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
    return { accountId, principal, q: request.query as Record<string, string | undefined> };
  };
  const tags = ['platform data'];
  return async (app: FastifyInstance) => {
    app.get(
      '/v1/accounts/:accountId/limits',
      { schema: { tags, security, summary: 'Object limits of the account', params } },
      async (request) => {
        const { accountId } = access(request, 'limits.read');
        return limitsOf(p, accountId);
      },
    );

    app.get(
      '/v1/accounts/:accountId/seat_usage',
      {
        schema: {
          tags,
          security,
          summary: 'Seat usage, warning and inactive users with seats',
          params,
        },
      },
      async (request) => {
        const { accountId, principal } = access(request, 'seat_usage.read');
        return seatUsage(ruleContext(p, principal), accountId, p.config.defaultLimits.seat ?? 0);
      },
    );

    app.get(
      '/v1/accounts/:accountId/activity',
      {
        schema: {
          tags,
          security,
          summary: 'Activity log: every API operation on the account',
          params,
          querystring: {
            type: 'object',
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              event: { type: 'string', description: 'Comma-separated event types' },
              type: { type: 'string', enum: ['read', 'write'] },
              resource: { type: 'string', description: 'Prefix' },
              actor: { type: 'string', description: 'Prefix' },
              outcome: { type: 'string', enum: ['success', 'failure', 'denied'] },
              ip: { type: 'string', description: 'Full or partial address' },
              limit: { type: 'string' },
              cursor: {
                type: 'string',
                pattern: '^[0-9]{1,15}$',
                description: '`next_cursor` of the previous page (older entries)',
              },
            },
          },
        },
      },
      async (request) => {
        const { accountId, q } = access(request, 'activity.read');
        for (const t of ['from', 'to'] as const) {
          if (q[t] !== undefined && Number.isNaN(Date.parse(q[t]!))) {
            throw errors.badRequest(`${t} must be an ISO 8601 time`, t, 'date_time');
          }
        }
        const filter: ActivityFilter = {
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
          ...(q.event ? { events: q.event.split(',') } : {}),
          ...(q.type ? { type: q.type as 'read' | 'write' } : {}),
          ...(q.resource ? { resource: q.resource } : {}),
          ...(q.actor ? { actor: q.actor } : {}),
          ...(q.outcome ? { outcome: q.outcome as Outcome } : {}),
          ...(q.ip ? { ip: q.ip } : {}),
          ...(q.cursor ? { before: Number(q.cursor) } : {}),
        };
        return {
          account_id: accountId,
          ...p.activity.page(accountId, filter, parseLimit(q.limit, 1000)),
        };
      },
    );
  };
}
