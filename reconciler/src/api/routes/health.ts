import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import { pendingMigrations } from '../../store/migrate.js';
import { ProblemError } from '../problem.js';

export interface HealthRoutesOptions {
  readonly db: Kysely<Database>;
}

const statusBody = { type: 'object', properties: { status: { type: 'string' } } } as const;

/** `/healthz`: the process answers. `/readyz`: the database answers and is fully migrated. */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { db }) => {
  app.get('/healthz', {
    schema: { tags: ['operations'], summary: 'Liveness', response: { 200: statusBody } },
    handler: async () => ({ status: 'ok' }),
  });

  app.get('/readyz', {
    schema: { tags: ['operations'], summary: 'Readiness', response: { 200: statusBody } },
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
