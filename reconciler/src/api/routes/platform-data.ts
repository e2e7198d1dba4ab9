import type { FastifyPluginAsync } from 'fastify';
import { dataSourceKinds } from '@telform/schemas';
import type { InventoryDriver } from '../../driver/platform-driver.js';
import type { ResourceStore } from '../../resources/resource-store.js';
import { problemResponse, problemResponses } from '../api-schemas.js';
import { platformProblem } from '../platform-problem.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import { fillAbsentNullables } from '../platform-data/fill-absent-nullables.js';
import {
  dataSourceQuerystring,
  resolvePlatformDataQuery,
  type FindResource,
} from '../platform-data/platform-data-query.js';
import { pageFromPlatform, pageQuery } from '../platform-data/platform-data-page.js';
import { asPlatformActor } from '../../driver/platform-actor.js';
import { withTelformIds } from '../platform-data/telform-ids.js';

export interface PlatformDataRoutesOptions {
  readonly store: ResourceStore;
  /** Absent: the routes answer 503 (a daemon without a platform, as in API-only tests). */
  readonly driver?: InventoryDriver;
}

/**
 * `/v1/accounts/{id}/<data-source>` (`limits`, `seat-usage`, the histories): read-only data read
 * live from the platform for an account or sub-account the caller can see, once it exists
 * there. The data source's arguments are the query string (checked against its schema, ids
 * swapped for platform ids); the answer names objects by telform id and platform id.
 */
export const platformDataRoutes: FastifyPluginAsync<PlatformDataRoutesOptions> = async (
  app,
  { store, driver },
) => {
  const find: FindResource = async (kinds, id, scope) => {
    for (const kind of kinds) {
      const found = await store.get(kind, id, scope).catch(() => undefined);
      if (found) return found;
    }
    return undefined;
  };
  for (const info of dataSourceKinds()) {
    app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
      `/v1/accounts/:id/${info.kind.replaceAll('_', '-')}`,
      {
        config: { action: 'platform:read' },
        // Data is sent as the platform gave it; the schema documents it and is not a filter.
        serializerCompiler: () => (data) => JSON.stringify(data),
        schema: {
          tags: ['platform data'],
          summary: info.title,
          description: info.description,
          params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          querystring: dataSourceQuerystring(info),
          response: {
            200: info.paged
              ? {
                  allOf: [
                    { $ref: `${info.schema.$id}#` },
                    {
                      type: 'object',
                      properties: {
                        next_cursor: {
                          type: ['string', 'null'],
                          description: 'Pass as `cursor` for older entries; null on the last page.',
                        },
                      },
                    },
                  ],
                }
              : { $ref: `${info.schema.$id}#` },
            // The platform is busy or down: Retry-After says when to ask again.
            502: problemResponse,
            ...problemResponses,
          },
        },
        handler: async (request) => {
          const scope = { scopeAccountId: principalOf(request).scopeAccountId };
          const { id } = request.params;
          const account =
            (await store.get('account', id, scope)) ??
            (await store.get('sub_account', id, scope).catch(() => undefined));
          if (!account) throw new ProblemError('not_found', `no account or sub_account ${id}`);
          const externalId = account.status.external_id;
          if (!externalId) throw new ProblemError('conflict', `${id} is not on the platform yet`);
          if (!driver) throw new ProblemError('not_ready', 'this daemon has no platform driver');
          const page = pageQuery(info, request.query);
          const query = await resolvePlatformDataQuery(info, account, page.rest, scope, find);
          if (query.nothingYet) return pageFromPlatform(info, { account_id: id, entries: [] });
          try {
            const data = await asPlatformActor(principalOf(request).name, () =>
              driver.read(info.kind, externalId, { ...query.params, ...page.params }),
            );
            const named = await withTelformIds(store.db, info, data);
            return pageFromPlatform(info, fillAbsentNullables(info, { ...named, account_id: id }));
          } catch (err) {
            throw platformProblem(err);
          }
        },
      },
    );
  }
};
