import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import { lastAuditChainHealth } from '../../audit/audit-chain-health.js';
import { pendingMigrations } from '../../store/migrate.js';
import { telformVersion } from '@telform/schemas/version';
import { problemResponse } from '../api-schemas.js';
import { ProblemError } from '../problem.js';

export interface HealthRoutesOptions {
  readonly db: Kysely<Database>;
}

const statusBody = { type: 'object', properties: { status: { type: 'string' } } } as const;

const versionBody = {
  type: 'object',
  required: ['version', 'node', 'uptime_seconds'],
  properties: {
    version: { type: 'string', description: 'telform release (as `telform --version`)' },
    node: { type: 'string', description: 'Node.js version running the daemon' },
    uptime_seconds: { type: 'integer', minimum: 0 },
    audit_chain: {
      type: ['object', 'null'],
      description: 'The last scheduled audit chain verification; null before the first.',
      properties: {
        ok: { type: 'boolean' },
        checked_at: { type: 'string', format: 'date-time' },
        events: { type: 'integer', description: 'Events verified (up to the first problem).' },
        first_bad_event: {
          type: ['object', 'null'],
          properties: {
            seq: { type: 'string' },
            kind: { type: 'string', enum: ['edited', 'removed', 'reordered'] },
            message: { type: 'string' },
          },
        },
      },
    },
  },
} as const;

/**
 * `/status`: which telform answers (the version `telform --version` prints).
 * `/healthz`: the process answers. `/readyz`: the database answers and is fully migrated.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { db }) => {
  app.get('/healthz', {
    schema: { tags: ['operations'], summary: 'Liveness', response: { 200: statusBody } },
    handler: async () => ({ status: 'ok' }),
  });

  app.get('/status', {
    schema: {
      tags: ['operations'],
      summary: 'Daemon version, uptime and audit chain health',
      response: { 200: versionBody },
    },
    handler: async () => ({
      version: telformVersion,
      node: process.versions.node,
      uptime_seconds: Math.floor(process.uptime()),
      // A database hiccup must not take /status down; the gauge keeps the last value.
      audit_chain: await lastAuditChainHealth(db).catch(() => null),
    }),
  });

  app.get('/readyz', {
    schema: {
      tags: ['operations'],
      summary: 'Readiness',
      response: { 200: statusBody, 503: problemResponse },
    },
    handler: async (request) => {
      try {
        await sql`select 1`.execute(db);
      } catch (err) {
        request.log.warn({ err }, 'readiness: database unreachable');
        throw new ProblemError('not_ready', 'the database does not answer');
      }
      const pending = await pendingMigrations(db);
      if (pending.length > 0) {
        throw new ProblemError('not_ready', `migrations not applied: ${pending.join(', ')}`);
      }
      return { status: 'ready' };
    },
  });
};
