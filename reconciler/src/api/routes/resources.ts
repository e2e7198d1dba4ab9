import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { catalog, managedKinds, type KindInfo } from '@telform/schemas';
import { isAllowed } from '../../auth/permissions.js';
import type { PlatformRefresh } from '../../drift/platform-refresh.js';
import type { ResourceChanges } from '../../reconcile/resource-changes.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import { requestHash } from '../../store/idempotency-store.js';
import type { ResourceRepresentation } from '../../resources/resource-representation.js';
import type { ResourceStore } from '../../resources/resource-store.js';
import { problemResponses } from '../api-schemas.js';
import { operationName } from '../openapi/operation-id.js';
import {
  changeHeaders,
  createHeaders,
  idParams,
  listQuery,
  readQuery,
} from '../resource-route-schemas.js';
import { kindBodyValidator } from '../kind-body-validator.js';
import { ProblemError } from '../problem.js';
import { etagOf, idempotencyKeyOf, ifMatchOf, principalOf } from '../request-context.js';
import { waitForApplied } from '../wait-for-applied.js';
import { writeAuditEvent } from '../api-audit-hook.js';
import type { AuditStore } from '../../audit/audit-store.js';

export interface ResourceRoutesOptions {
  readonly store: ResourceStore;
  readonly idempotency: IdempotencyStore;
  /**
   * Where a write appends its audit event inside its own transaction (AuditStore.recordIn);
   * absent: the audit hook records it after the answer is built.
   */
  readonly audit?: Pick<AuditStore, 'recordIn'>;
  /** This daemon's engine reporting recorded outcomes: ends a `?wait=applied` without a poll. */
  readonly changes?: ResourceChanges;
  /** Scans behind `?max_age_ms=`; absent: reads answer from the stored observations only. */
  readonly refresh?: PlatformRefresh;
  /** With `changes`: polls for other replicas' outcomes (`null`: there are none); see WaitOptions. */
  readonly replicaPollMs?: number | null;
}

type Body = Record<string, unknown>;
type IdParams = { id: string };
type ReadQuery = { wait?: 'applied'; timeout_ms?: number; max_age_ms?: number };
type ListQuery = { account_id?: string; cursor?: string; limit?: number; max_age_ms?: number };

const one = { $ref: 'telform-resource#' } as const;

/** `/v1/resources`: one set of routes per managed kind, so /openapi.json documents each body. */
export const resourceRoutes: FastifyPluginAsync<ResourceRoutesOptions> = async (
  app,
  { store, idempotency, audit, changes, refresh, replicaPollMs },
) => {
  // `?max_age_ms=`: scan the account tree first when its observations are older than that.
  const refreshed = async (accountId: string | null | undefined, maxAgeMs?: number) => {
    if (maxAgeMs === undefined || !refresh || !accountId) return;
    await refresh.refresh(accountId, maxAgeMs);
  };
  // Platform-generated secrets (the provisioning token) are shown to whoever may read desired
  // state, on every read route (the status route included); auditors never see them.
  const scope = (request: FastifyRequest) => {
    const principal = principalOf(request);
    return {
      scopeAccountId: principal.scopeAccountId,
      revealGeneratedSecrets: isAllowed(principal.role, 'resources:read'),
      // Writes record who made them; the platform shows that person for the change.
      actor: principal.name,
    };
  };

  // Runs a write once per Idempotency-Key (when given) and sends its answer. The write's audit
  // event is appended last in the same transaction (one statement), so a change and its event
  // commit together; a failed write rolls back and the audit hook records the failure, and an
  // idempotent replay (no work done) is recorded by the hook as before.
  async function write(
    request: FastifyRequest,
    reply: FastifyReply,
    statusCode: number,
    work: (executor: ResourceStore['db']) => Promise<ResourceRepresentation>,
  ) {
    const audited = async (trx: ResourceStore['db']) => {
      const answer = await work(trx);
      if (audit) await audit.recordIn(trx, await writeAuditEvent(request, statusCode, answer));
      return answer;
    };
    const key = idempotencyKeyOf(request);
    if (key === undefined) {
      const answer = await store.db.transaction().execute(audited);
      request.auditedInTransaction = audit !== undefined;
      return answered(reply, statusCode, answer);
    }
    const principal = principalOf(request).tokenId;
    const hash = requestHash(request.method, request.url, request.body);
    const done = await idempotency.run({ principal, key, requestHash: hash }, async (trx) => ({
      statusCode,
      body: await audited(trx),
    }));
    if (done.replayed) reply.header('idempotent-replayed', 'true');
    else request.auditedInTransaction = audit !== undefined;
    return answered(reply, done.statusCode, done.body as ResourceRepresentation);
  }

  for (const info of managedKinds()) {
    const base = `/v1/resources/${info.kind}`;
    const tags = [info.kind];
    const name = operationName(info.kind);
    const body = { $ref: `${info.schema.$id}#` };
    const notFound = (id: string) => new ProblemError('not_found', `no ${info.kind} ${id}`);

    app.post<{ Body: Body }>(base, {
      config: { action: 'resources:write' },
      schema: {
        tags,
        operationId: `create${name}`,
        summary: `Declare a ${info.kind}`,
        headers: createHeaders,
        body,
        response: { 201: one, ...problemResponses },
      },
      validatorCompiler: kindBodyValidator(info.kind, 'create'),
      handler: (request, reply) =>
        write(request, reply, 201, (trx) =>
          store.create(info.kind, request.body, scope(request), trx),
        ),
    });

    app.get<{ Params: IdParams; Querystring: ReadQuery }>(`${base}/:id`, {
      config: { action: 'resources:read' },
      schema: {
        tags,
        operationId: `get${name}`,
        summary: `Read a ${info.kind}`,
        params: idParams,
        querystring: readQuery,
        response: { 200: one, ...problemResponses },
      },
      handler: async (request, reply) => {
        const { id } = request.params;
        const read = () => store.get(info.kind, id, scope(request));
        // `?wait=applied` keeps its own audit event, as every read does (the hook records it
        // through the read-audit buffer: off the response path, one statement alone and a share
        // of one batch under load). The POST's event does not cover it: that one records the
        // write and its actor, not that the caller later received the applied result, and this
        // answer can reveal a platform-generated secret (the provisioning token), which the trail
        // must show whoever received. What the long-poll no longer does is read twice: a change
        // the engine reports carries the recorded row (waitForApplied's `represent`).
        const waiting = request.query.wait === 'applied';
        // Subscribed before the first read: an outcome recorded in between is not missed.
        const subscription = waiting ? changes?.subscribe(id) : undefined;
        let found;
        try {
          found = await read();
          if (found && request.query.max_age_ms !== undefined) {
            // A sub-account is observed in its parent's listing, but a token scoped to that
            // sub-account may not scan the parent's tree (its siblings): its own tree only.
            const own = found.kind === 'sub_account' && scope(request).scopeAccountId === found.id;
            await refreshed(
              own ? found.id : (found.account_id ?? found.id),
              request.query.max_age_ms,
            );
            found = await read();
          }
          if (found && waiting) {
            const aborted = new AbortController();
            request.raw.once('close', () => aborted.abort());
            const timeoutMs = request.query.timeout_ms ?? 30_000;
            found = await waitForApplied(found, read, {
              timeoutMs,
              signal: aborted.signal,
              represent: (row) => store.represent(row, scope(request)),
              ...(subscription ? { changes: subscription } : {}),
              ...(replicaPollMs !== undefined ? { replicaPollMs } : {}),
            });
          }
        } finally {
          subscription?.close();
        }
        if (!found) throw notFound(id);
        return answered(reply, 200, found);
      },
    });

    app.get<{ Params: IdParams }>(`${base}/:id/status`, {
      config: { action: 'status:read' },
      schema: {
        tags,
        operationId: `get${name}Status`,
        summary: `Status of a ${info.kind}, without its spec`,
        params: idParams,
        response: { 200: one, ...problemResponses },
      },
      handler: async (request, reply) => {
        const found = await store.get(info.kind, request.params.id, scope(request));
        if (!found) throw notFound(request.params.id);
        const { spec: _spec, ...rest } = found;
        reply.header('etag', etagOf(found.generation));
        return rest;
      },
    });

    app.put<{ Params: IdParams; Body: Body }>(`${base}/:id`, {
      config: { action: 'resources:write' },
      schema: {
        tags,
        operationId: `replace${name}`,
        summary: `Replace a ${info.kind}'s attributes`,
        params: idParams,
        headers: changeHeaders,
        body,
        response: { 200: one, ...problemResponses },
      },
      validatorCompiler: kindBodyValidator(info.kind, 'update'),
      handler: (request, reply) => {
        const options = { ...scope(request), ifMatch: ifMatchOf(request) };
        return write(request, reply, 200, (trx) =>
          store.replace(info.kind, request.params.id, request.body, options, trx),
        );
      },
    });

    app.delete<{ Params: IdParams }>(`${base}/:id`, {
      config: { action: 'resources:write' },
      schema: {
        tags,
        operationId: `delete${name}`,
        summary: `Delete a ${info.kind} (from the platform first)`,
        params: idParams,
        headers: changeHeaders,
        response: { 202: one, ...problemResponses },
      },
      handler: (request, reply) => {
        const options = { ...scope(request), ifMatch: ifMatchOf(request) };
        return write(request, reply, 202, (trx) =>
          store.requestDeletion(info.kind, request.params.id, options, trx),
        );
      },
    });

    app.get<{ Querystring: ListQuery }>(base, {
      config: { action: 'resources:read' },
      schema: {
        tags,
        operationId: `list${name.endsWith('s') ? name : `${name}s`}`,
        summary: `List ${info.kind} resources`,
        querystring: listQuery,
        response: { 200: { $ref: 'telform-resource-page#' }, ...problemResponses },
      },
      handler: (request) => list(request, info),
    });
  }

  app.get<{ Querystring: ListQuery }>('/v1/resources', {
    config: { action: 'resources:read' },
    schema: {
      tags: ['resources'],
      operationId: 'listResources',
      summary: 'List every kind, usually of one account tree (bulk read for plans)',
      querystring: listQuery,
      response: { 200: { $ref: 'telform-resource-page#' }, ...problemResponses },
    },
    handler: (request) => list(request),
  });

  // Unknown kinds and read-only kinds answer with their own codes, not a bare route 404.
  app.all<{ Params: { kind: string } }>(
    '/v1/resources/:kind/*',
    { schema: { hide: true } as object },
    unknownKind,
  );
  app.all<{ Params: { kind: string } }>(
    '/v1/resources/:kind',
    { schema: { hide: true } as object },
    unknownKind,
  );

  async function list(request: FastifyRequest<{ Querystring: ListQuery }>, info?: KindInfo) {
    const q = request.query;
    const query = {
      kind: info?.kind,
      accountId: q.account_id,
      cursor: q.cursor,
      limit: q.limit ?? 100,
      ...scope(request),
    };
    if (q.max_age_ms !== undefined && q.cursor === undefined && q.account_id !== undefined) {
      // Visible first (404 otherwise, as the listing would answer), then scanned.
      await store.list({ ...query, limit: 1 });
      await refreshed(q.account_id, q.max_age_ms);
    }
    return store.list(query);
  }
};

async function unknownKind(request: FastifyRequest<{ Params: { kind: string } }>) {
  const kind = request.params.kind;
  const known = catalog.find((k) => k.kind === kind);
  if (known?.dataSource) {
    throw new ProblemError(
      'method_not_allowed',
      `${kind} is read-only platform data: read it under /v1/accounts/{id}/${kind.replaceAll('_', '-')}`,
    );
  }
  if (known)
    throw new ProblemError(
      'route_not_found',
      `no route ${request.method} ${request.url.split('?')[0]}`,
    );
  const names = managedKinds()
    .map((k) => k.kind)
    .join(', ');
  throw new ProblemError('unknown_kind', `no resource kind "${kind}"; known kinds: ${names}`);
}

/**
 * Sets the status, ETag and audit answer of `body` and hands it back for the handler to return:
 * fastify sends what an async handler returns. (Returning the reply itself made each answer's
 * promise adopt it as a thenable, which waits for the response to finish: a stream listener and
 * a promise held per request.)
 */
function answered(reply: FastifyReply, statusCode: number, body: ResourceRepresentation) {
  reply.request.auditAnswer = { id: body.id, kind: body.kind, account_id: body.account_id };
  reply.code(statusCode).header('etag', etagOf(body.generation));
  return body;
}
