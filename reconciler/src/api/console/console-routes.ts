import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import type { ScopeGuard } from '../../auth/scope.js';
import type { InventoryDriver } from '../../driver/platform-driver.js';
import type { Database } from '../../store/database.js';
import { accountsOverview } from './accounts-overview.js';
import { accountsPageSchema, driftHistorySchema } from './console-schemas.js';
import { consolePageRoutes } from './console-page-routes.js';
import {
  consoleSessionRoutes,
  type ConsoleSessionRoutesOptions,
} from './console-session-routes.js';
import { driftHistory } from './drift-history.js';

export interface ConsoleRoutesOptions extends ConsoleSessionRoutesOptions {
  readonly db: Kysely<Database>;
  readonly scope: ScopeGuard;
  /** For seat usage in the accounts overview; absent: no seats shown. */
  readonly driver?: InventoryDriver;
}

/**
 * The read-only web console: the page and its bundle under `/ui` (console-page-routes.ts),
 * sign-in and sign-out (console-session-routes.ts), and two read routes the pages need that
 * the API lacked: `GET /v1/accounts` (status:read) and `GET /v1/drift/history` (drift:read).
 * Every other fact the console shows comes from the existing `/v1` routes, with the session
 * cookie standing in for the bearer header on GET (see auth/request-credential.ts).
 */
export const consoleRoutes: FastifyPluginAsync<ConsoleRoutesOptions> = async (app, options) => {
  const { db, scope, driver } = options;
  await app.register(consolePageRoutes);
  await app.register(consoleSessionRoutes, { tokens: options.tokens, audit: options.audit });

  app.get<{ Querystring: { cursor?: string; limit: number } }>(
    '/v1/accounts',
    {
      config: { action: 'status:read' },
      schema: {
        tags: ['accounts'],
        summary: 'Accounts and sub-accounts with open drift, unmanaged objects, last scan, seats',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cursor: { type: 'string', maxLength: 128 },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 100 },
          },
        },
        response: { 200: accountsPageSchema, ...problemResponses },
      },
    },
    async (request) => {
      const visibleAccountIds = await scope.accountIds(principalOf(request));
      const q = request.query;
      return accountsOverview(db, driver, {
        visibleAccountIds,
        limit: q.limit,
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
      });
    },
  );

  app.get<{ Querystring: { account_id?: string; days: number } }>(
    '/v1/drift/history',
    {
      config: { action: 'drift:read' },
      schema: {
        tags: ['drift'],
        summary: 'Open drift at the end of each recent day',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            account_id: { type: 'string', minLength: 1, maxLength: 128 },
            days: { type: 'integer', minimum: 1, maximum: 366, default: 30 },
          },
        },
        response: { 200: driftHistorySchema, ...problemResponses },
      },
    },
    async (request) => {
      const visibleAccountIds = await scope.accountIds(principalOf(request));
      const { account_id: accountId, days } = request.query;
      if (accountId && visibleAccountIds !== null && !visibleAccountIds.includes(accountId))
        throw new ProblemError('not_found', `no account ${accountId} visible to this token`);
      return {
        points: await driftHistory(db, {
          visibleAccountIds,
          days,
          ...(accountId ? { accountId } : {}),
        }),
      };
    },
  );
};
