import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
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
      summary: 'Daemon version and uptime',
      response: { 200: versionBody },
    },
    handler: async () => ({
      version: telformVersion,
      node: process.versions.node,
      uptime_seconds: Math.floor(process.uptime()),
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
