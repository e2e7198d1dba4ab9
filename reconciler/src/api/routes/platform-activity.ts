import { managedKinds } from '@telform/schemas';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { markHiddenByScope, type ScopeGuard } from '../../auth/scope.js';
import type { ActivityQuery } from '../../driver/platform-activity.js';
import type { InventoryDriver } from '../../driver/platform-driver.js';
import type { Database } from '../../store/database.js';
import { problemResponses } from '../api-schemas.js';
import { platformProblem } from '../platform-problem.js';
import { checkTimeRange } from '../check-time-range.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import {
  platformActivityPageSchema,
  platformActivityQuerySchema,
} from './platform-activity-schemas.js';

export interface PlatformActivityRoutesOptions {
  readonly db: Kysely<Database>;
  readonly scope: ScopeGuard;
  /** Absent: the route answers 503 (a daemon without a platform). */
  readonly driver?: InventoryDriver;
}

const singletonKinds = managedKinds()
  .filter((k) => k.singleton)
  .map((k) => k.kind);

type Querystring = Omit<ActivityQuery, 'accountExternalId' | 'events'> & { event?: string };

/**
 * `/v1/accounts/{id}/platform-activity`: the platform's own activity log of an account (console
 * sign-ins, 2FA, API keys, users, teams, every API change), read live through the guarded driver
 * with the platform's filters, so auditors see it beside telform's trail. Entries of objects
 * telform manages name the telform resource too.
 */
export const platformActivityRoutes: FastifyPluginAsync<PlatformActivityRoutesOptions> = async (
  app,
  { db, scope, driver },
) => {
  app.get<{ Params: { id: string }; Querystring: Querystring }>(
    '/v1/accounts/:id/platform-activity',
    {
      config: { action: 'audit:read' },
      schema: {
        tags: ['platform data'],
        summary: "The platform's activity log of an account",
        description:
          'Who did what on the platform, when and from where, newest first, with the filters of ' +
          "the platform's Activity tab. Scoped tokens see their own accounts only.",
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        querystring: platformActivityQuerySchema,
        response: { 200: platformActivityPageSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const account = await db
        .selectFrom('resources')
        .select(['id', 'external_id', 'root_account_id'])
        .where('id', '=', id)
        .where('kind', 'in', ['account', 'sub_account'])
        .executeTakeFirst();
      const hidden = account && !(await scope.coversAccount(principalOf(request), id));
      if (hidden) markHiddenByScope(request);
      if (!account || hidden)
        throw new ProblemError('not_found', `no account or sub_account ${id}`);
      if (!account.external_id)
        throw new ProblemError('conflict', `${id} is not on the platform yet`);
      if (!driver) throw new ProblemError('not_ready', 'this daemon has no platform driver');
      const { event, ...filters } = request.query;
      checkTimeRange(
        filters.from === undefined ? undefined : new Date(filters.from),
        filters.to === undefined ? undefined : new Date(filters.to),
      );
      let page;
      try {
        page = await driver.activity({
          ...filters,
          accountExternalId: account.external_id,
          ...(event ? { events: event.split(',') } : {}),
        });
      } catch (err) {
        throw platformProblem(err);
      }
      const named = { ...account, external_id: account.external_id };
      const managed = await managedResources(
        db,
        named,
        page.entries.map((e) => e.resource),
      );
      return {
        account_id: id,
        entries: page.entries.map((e) => ({ ...e, resource_id: managed.get(e.resource) ?? null })),
        next_cursor: page.nextCursor ?? null,
      };
    },
  );
};

/** Platform resource name (`user/u-12`) -> telform id, for the objects of a page telform manages. */
async function managedResources(
  db: Kysely<Database>,
  account: { id: string; external_id: string; root_account_id: string },
  resources: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(resources.map((r) => r.split('/')[1] ?? ''))].filter((x) => x !== '');
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('resources')
    .select(['id', 'kind', 'external_id'])
    .where('root_account_id', '=', account.root_account_id)
    .where((eb) =>
      eb.or([
        eb('external_id', 'in', ids),
        eb.and([eb('account_id', '=', account.id), eb('kind', 'in', singletonKinds)]),
      ]),
    )
    .execute();
  const out = new Map<string, string>();
  for (const row of rows) {
    // The platform names settings documents by their account, other objects by their own id.
    const name = singletonKinds.includes(row.kind) ? account.external_id : row.external_id;
    if (name) out.set(`${row.kind}/${name}`, row.id);
  }
  return out;
}
