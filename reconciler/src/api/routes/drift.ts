import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { markHiddenByScope, type ScopeGuard } from '../../auth/scope.js';
import { renderCsvReport } from '../../drift/csv-report.js';
import type { DriftPolicyCache } from '../../drift/drift-policy-cache.js';
import { DriftPolicyStore, type DriftPolicyInput } from '../../drift/drift-policy-store.js';
import { queryDrift } from '../../drift/drift-query.js';
import {
  driftReportMediaTypes,
  type DriftReportFormat,
  type DriftState,
} from '../../drift/drift-report.js';
import {
  UnknownAccountError,
  type AccountScanResult,
  type DriftScanner,
} from '../../drift/drift-scanner.js';
import { renderMarkdownReport } from '../../drift/markdown-report.js';
import type { Database } from '../../store/database.js';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import * as s from './drift-schemas.js';

export interface DriftRoutesOptions {
  readonly db: Kysely<Database>;
  readonly scanner: DriftScanner;
  readonly policies: DriftPolicyCache;
  /** Default: one on `db`. */
  readonly policyStore?: DriftPolicyStore;
  readonly scope: ScopeGuard;
}

interface DriftQuerystring {
  account_id?: string;
  kind?: string;
  state: DriftState | 'all';
  format?: DriftReportFormat;
  cursor?: string;
  limit: number;
}

/** `/v1/drift`: reports (JSON, CSV, Markdown), on-demand scans and drift policies. */
export const driftRoutes: FastifyPluginAsync<DriftRoutesOptions> = async (app, options) => {
  const { db, scanner, policies, scope } = options;
  const policyStore = options.policyStore ?? new DriftPolicyStore(db);
  // A policy's audit events name its target and the target's account.
  const auditTarget = async (request: FastifyRequest, id: string) => {
    const target = await policyStore.target(id);
    if (target)
      request.auditSubject = { resource: `${target.kind}/${id}`, accountId: target.accountId };
  };
  const visible = (request: FastifyRequest) => scope.accountIds(principalOf(request));
  const unseen = (what: string) =>
    new ProblemError('not_found', `no ${what} visible to this token`);
  const notFound = (request: FastifyRequest, what: string) => {
    markHiddenByScope(request);
    return unseen(what);
  };
  // To a scoped token another tenant's target and one that does not exist answer alike: the
  // answer never tells it whether an id is someone else's.
  const outOfSight = async (request: FastifyRequest, id: string) => {
    const principal = principalOf(request);
    if (await scope.hidesAny(principal, [id])) {
      markHiddenByScope(request);
      return true;
    }
    return principal.scopeAccountId !== null && (await policyStore.target(id)) === undefined;
  };

  app.get<{ Querystring: DriftQuerystring }>(
    '/v1/drift',
    {
      config: { action: 'drift:read' },
      schema: {
        tags: ['drift'],
        summary:
          'Drift report: what differs between desired settings and the platform, and unmanaged objects',
        querystring: s.driftQuerySchema,
        response: { 200: s.driftReportSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const visibleIds = await visible(request);
      if (q.account_id && visibleIds !== null && !visibleIds.includes(q.account_id))
        throw notFound(request, `account ${q.account_id}`);
      const report = await queryDrift(db, {
        visibleAccountIds: visibleIds,
        accountId: q.account_id,
        kind: q.kind,
        state: q.state,
        cursor: q.cursor,
        limit: q.limit,
      });
      const format = q.format ?? negotiate(request.headers.accept);
      if (format === 'json') return report;
      reply.type(driftReportMediaTypes[format]);
      return format === 'csv' ? renderCsvReport(report) : renderMarkdownReport(report);
    },
  );

  app.post<{ Querystring: { account_id?: string } }>(
    '/v1/drift/scan',
    {
      config: { action: 'drift:scan' },
      schema: {
        tags: ['drift'],
        summary: 'Scan the platform for drift now',
        querystring: s.scanQuerySchema,
        response: { 200: s.scanResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      const visibleIds = await visible(request);
      const id = request.query.account_id;
      if (id && visibleIds !== null && !visibleIds.includes(id))
        throw notFound(request, `account ${id}`);
      await policies.refresh();
      const targets = id ? [id] : (visibleIds ?? (await allAccounts(db)));
      const results: AccountScanResult[] = [];
      for (const accountId of targets) {
        try {
          results.push(await scanner.scanAccount(accountId));
        } catch (err) {
          if (err instanceof UnknownAccountError && id)
            throw new ProblemError('not_found', err.message);
          if (!(err instanceof UnknownAccountError)) throw err;
        }
      }
      if (id && results[0]?.outcome === 'failed')
        throw new ProblemError('platform_unavailable', `scan of ${id} failed: ${results[0].error}`);
      return { results: results.map(scanView) };
    },
  );

  app.get(
    '/v1/drift/policies',
    {
      config: { action: 'drift:read' },
      schema: {
        tags: ['drift'],
        summary: 'List drift policies',
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: s.policySchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: await policyStore.list(await visible(request)),
    }),
  );

  app.get<{ Params: { target_id: string } }>(
    '/v1/drift/policies/:target_id',
    {
      config: { action: 'drift:read' },
      schema: {
        tags: ['drift'],
        summary: 'Read the drift policy of an account or resource',
        params: s.policyParamsSchema,
        response: { 200: s.policySchema, ...problemResponses },
      },
    },
    async (request) => {
      const id = request.params.target_id;
      if (await outOfSight(request, id)) throw unseen(`drift policy for ${id}`);
      const policy = await policyStore.get(id);
      if (!policy)
        throw new ProblemError(
          'not_found',
          `no drift policy for ${id}; the defaults apply (report, ignore nothing)`,
        );
      return policy;
    },
  );

  app.put<{ Params: { target_id: string }; Body: DriftPolicyInput }>(
    '/v1/drift/policies/:target_id',
    {
      config: { action: 'drift:scan' },
      schema: {
        tags: ['drift'],
        summary: 'Set the drift policy of an account or resource',
        params: s.policyParamsSchema,
        body: s.policyBodySchema,
        response: { 200: s.policySchema, ...problemResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const id = request.params.target_id;
      if (await outOfSight(request, id)) throw unseen(`resource ${id}`);
      await auditTarget(request, id);
      const result = await policyStore.put(id, request.body, principal.name);
      if (result === undefined)
        throw new ProblemError('not_found', `no account, sub-account or resource with id ${id}`);
      if (Array.isArray(result))
        throw new ProblemError('validation_failed', result[0]!.message, result);
      await policies.refresh();
      return result;
    },
  );

  app.delete<{ Params: { target_id: string } }>(
    '/v1/drift/policies/:target_id',
    {
      config: { action: 'drift:scan' },
      schema: {
        tags: ['drift'],
        summary: 'Remove a drift policy (the inherited one applies)',
        params: s.policyParamsSchema,
        response: { 204: { type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const id = request.params.target_id;
      if (await outOfSight(request, id)) throw unseen(`drift policy for ${id}`);
      await auditTarget(request, id);
      if (!(await policyStore.delete(id)))
        throw new ProblemError('not_found', `no drift policy for ${id}`);
      await policies.refresh();
      return reply.code(204).send();
    },
  );
};

function scanView(r: AccountScanResult): Record<string, unknown> {
  const { accountId, ...rest } = r;
  if (!('stillOpen' in rest)) return { account_id: accountId, ...rest };
  const { stillOpen, ...counts } = rest;
  return { account_id: accountId, ...counts, still_open: stillOpen };
}

function negotiate(accept: string | undefined): DriftReportFormat {
  if (!accept) return 'json';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('text/markdown')) return 'markdown';
  return 'json';
}

async function allAccounts(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('resources')
    .select('id')
    .where('kind', 'in', ['account', 'sub_account'])
    .where('external_id', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
