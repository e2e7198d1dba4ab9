import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { problemResponses } from '../api-schemas.js';
import { principalOf } from '../request-context.js';
import type { AuditFilter } from '../../audit/audit-query.js';
import { checkTimeRange } from '../check-time-range.js';
import type { AuditStore } from '../../audit/audit-store.js';
import type { ScopeGuard } from '../../auth/scope.js';

export interface AuditRoutesOptions {
  readonly audit: AuditStore;
  readonly scope: ScopeGuard;
}

interface AuditQuery {
  from?: string;
  to?: string;
  event?: string;
  access?: 'read' | 'write';
  resource?: string;
  actor?: string;
  outcome?: 'success' | 'failure' | 'denied';
  ip?: string;
  cursor?: string;
  limit?: number;
  order?: 'asc' | 'desc';
  format?: 'json' | 'ndjson';
}

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', format: 'date-time', description: 'Events at or after this time.' },
    to: { type: 'string', format: 'date-time', description: 'Events before this time.' },
    event: {
      type: 'string',
      maxLength: 1024,
      pattern: '^[a-z0-9_.*]+(,[a-z0-9_.*]+)*$',
      description: 'Comma-separated event names; `user.*` matches a prefix.',
    },
    access: { type: 'string', enum: ['read', 'write'], description: 'Reads or writes only.' },
    resource: { type: 'string', maxLength: 512, description: 'Resource prefix, such as `user/`.' },
    actor: { type: 'string', maxLength: 128, description: 'Actor prefix.' },
    outcome: { type: 'string', enum: ['success', 'failure', 'denied'] },
    ip: { type: 'string', maxLength: 64, description: 'Part of the IP address.' },
    cursor: { type: 'string', maxLength: 64 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
    format: {
      type: 'string',
      enum: ['json', 'ndjson'],
      description: 'ndjson: every match, oldest first.',
    },
  },
} as const;

const eventSchema = {
  type: 'object',
  properties: {
    seq: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    event: { type: 'string' },
    access: { type: 'string' },
    resource: { type: ['string', 'null'] },
    account_id: { type: ['string', 'null'] },
    actor: { type: 'string' },
    outcome: { type: 'string' },
    ip: { type: ['string', 'null'] },
    request_id: { type: ['string', 'null'] },
    change: { type: ['object', 'null'], additionalProperties: true },
    prev_hash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

/** `/v1/audit` (filters, keyset cursor, NDJSON export) and `/v1/audit/verify`. */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (
  fastify,
  { audit, scope },
) => {
  fastify.get<{ Querystring: AuditQuery }>(
    '/v1/audit',
    {
      config: { action: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail',
        querystring: querySchema,
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: eventSchema },
              next_cursor: { type: ['string', 'null'] },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const from = q.from === undefined ? undefined : new Date(q.from);
      const to = q.to === undefined ? undefined : new Date(q.to);
      checkTimeRange(from, to);
      const accountIds = await scope.accountIds(principalOf(request));
      const filter: AuditFilter = {
        from,
        to,
        events: q.event?.split(','),
        access: q.access,
        resourcePrefix: q.resource,
        actorPrefix: q.actor,
        outcome: q.outcome,
        ip: q.ip,
        accountIds: accountIds ?? undefined,
      };
      const accept = request.headers.accept ?? '';
      if (
        q.format === 'ndjson' ||
        (q.format === undefined && accept.includes('application/x-ndjson'))
      ) {
        const lines = async function* () {
          for await (const event of audit.export(filter)) yield `${JSON.stringify(event)}\n`;
        };
        return reply.type('application/x-ndjson').send(Readable.from(lines()));
      }
      const page = await audit.query({
        ...filter,
        cursor: q.cursor,
        limit: q.limit,
        order: q.order,
      });
      return { items: page.items, next_cursor: page.nextCursor };
    },
  );

  fastify.get(
    '/v1/audit/verify',
    {
      config: { action: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Verify the audit hash chain',
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              checked: {
                type: 'integer',
                description: "Events checked; for a scoped token, only its own accounts' events.",
              },
              scoped: {
                type: 'boolean',
                description:
                  "Present (true) for a scoped token: the whole chain was walked, but only its own events are counted, and a break in another tenant's event is named without its seq.",
              },
              pruned_through: {
                type: 'string',
                description:
                  'Events up to this seq were pruned by retention; checking began after.',
              },
              problem: {
                type: 'object',
                properties: {
                  kind: { type: 'string' },
                  seq: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const accountIds = await scope.accountIds(principalOf(request));
      return accountIds === null ? audit.verify() : audit.verifyScoped(accountIds);
    },
  );
};
