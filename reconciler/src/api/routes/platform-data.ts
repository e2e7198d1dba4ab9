import type { FastifyPluginAsync } from 'fastify';
import { dataSourceKinds } from '@telform/schemas';
import { PlatformError, type InventoryDriver } from '../../driver/platform-driver.js';
import type { ResourceStore } from '../../resources/resource-store.js';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';

export interface PlatformDataRoutesOptions {
  readonly store: ResourceStore;
  /** Absent: the routes answer 503 (a daemon without a platform, as in API-only tests). */
  readonly driver?: InventoryDriver;
}

const codes = { not_found: 'not_found', forbidden: 'forbidden' } as const;

/**
 * `/v1/accounts/{id}/<data-source>` (`limits`, `seat-usage`, ...): read-only data read live from
 * the platform for an account or sub-account the caller can see, once it exists there.
 */
export const platformDataRoutes: FastifyPluginAsync<PlatformDataRoutesOptions> = async (
  app,
  { store, driver },
) => {
  for (const info of dataSourceKinds()) {
    app.get<{ Params: { id: string } }>(`/v1/accounts/:id/${info.kind.replaceAll('_', '-')}`, {
      config: { action: 'platform:read' },
      // Data is sent as the platform gave it; the schema documents it and is not a filter.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['platform data'],
        summary: info.title,
        description: info.description,
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: { $ref: `${info.schema.$id}#` }, ...problemResponses },
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
        try {
          return await driver.read(info.kind, externalId);
        } catch (err) {
          if (!(err instanceof PlatformError)) throw err;
          const code =
            err.reason === 'not_found' || err.reason === 'forbidden'
              ? codes[err.reason]
              : 'platform_unavailable';
          const retry = err.details.retryAfterMs;
          const headers: Record<string, string> =
            retry === undefined ? {} : { 'retry-after': String(Math.ceil(retry / 1000)) };
          throw new ProblemError(code, `the platform answered: ${err.message}`, undefined, headers);
        }
      },
    });
  }
};
