import type { FastifyRequest, onSendHookHandler } from 'fastify';
import { getKind } from '@telform/schemas';
import type { AuditEventInput, AuditSink } from '../audit/audit-sink.js';
import { redactSecrets } from '../secrets/redact-secrets.js';
import { auditEventName, type AuditNaming } from './audit-event-name.js';
import { wasHiddenByScope, type ScopeGuard } from '../auth/scope.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set by a route whose path does not name its object the usual way (`:id`, `account_id`):
     * the resource and account its audit event names (a drift policy names its target).
     */
    auditSubject?: { readonly resource: string; readonly accountId: string };
    /** Set on a refusal that repeats one already audited (a flood past the address budget). */
    unaudited?: boolean;
    /**
     * Set by a route that answers 2xx with an object it holds: the fields of its answer the
     * event names, so the hook need not parse the JSON it just serialised (a read of one
     * resource is a few KiB).
     */
    auditAnswer?: AuditAnswer;
    /** Set by a write whose event committed inside its own transaction (writeAuditEvent). */
    auditedInTransaction?: boolean;
  }
}

/** What an audit event takes from a call's answer. */
export type AuditAnswer = {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
};

export type SecretPathsOf = (kind: string) => readonly string[];

const catalogueSecrets: SecretPathsOf = (kind) => {
  try {
    return getKind(kind).sensitive;
  } catch {
    return [];
  }
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length <= 256 ? v : undefined;

/**
 * onSend hook: records the audit event of a call before its answer leaves. Writes wait for
 * `audit` (durable: no answered write goes unrecorded; if the trail cannot be written the call
 * fails with 500 instead). Reads go to `readAudit` when given, a ReadAuditBuffer that answers
 * once the event is buffered and appends batches behind the response (see its crash-loss bound).
 */
export function apiAuditHook(options: {
  audit: AuditSink;
  readAudit?: AuditSink;
  scope?: ScopeGuard;
  secretPaths?: SecretPathsOf;
}): onSendHookHandler {
  const done = new WeakSet<FastifyRequest>();
  const secretPaths = options.secretPaths ?? catalogueSecrets;
  const reads = options.readAudit ?? options.audit;
  return async function (request, reply, payload) {
    if (request.routeOptions.config?.action === undefined || done.has(request)) return payload;
    if (request.unaudited || request.auditedInTransaction) return payload;
    done.add(request);
    const status = reply.statusCode;
    const event = await describeCall(request, status, answerOf(request, status, payload), {
      scope: options.scope,
      secretPaths,
    });
    await (event.access === 'read' ? reads : options.audit).record(event);
    return payload;
  };
}

/**
 * The event of a successful write whose answer is `answer`, for the route to append inside the
 * write's own transaction (then it sets `request.auditedInTransaction`, and this hook records
 * nothing more): the same event the hook would record from the sent answer.
 */
export function writeAuditEvent(
  request: FastifyRequest,
  status: number,
  answer: { readonly id: string; readonly kind: string; readonly account_id?: string | null },
): Promise<AuditEventInput> {
  return describeCall(request, status, { ...answer }, { secretPaths: catalogueSecrets });
}

function paramsOf(request: FastifyRequest): Record<string, string | undefined> {
  return (isObject(request.params) ? request.params : {}) as Record<string, string | undefined>;
}

// A route's naming, kept per method and route pattern: it depends on nothing else unless the
// route has a `:kind` parameter (then it is named afresh, and the caller's junk is never kept).
const routeNamings = new Map<string, AuditNaming>();

function namingOf(request: FastifyRequest): AuditNaming {
  const route = request.routeOptions.url;
  const params = paramsOf(request);
  const cacheable = route !== undefined && params.kind === undefined;
  const key = `${request.method} ${route}`;
  const known = cacheable ? routeNamings.get(key) : undefined;
  if (known) return known;
  const naming = auditEventName({ method: request.method, url: route ?? request.url, params });
  if (cacheable) routeNamings.set(key, naming);
  return naming;
}

// Answers name the object's id and account: writes, single reads and errors (lists are skipped).
function answerOf(request: FastifyRequest, status: number, payload: unknown): Json | undefined {
  const parse =
    status >= 400 ||
    (status < 300 && (namingOf(request).access === 'write' || 'id' in paramsOf(request)));
  const given: Json | undefined = status < 300 ? request.auditAnswer : undefined;
  return parse ? (given ?? parseJson(payload)) : undefined;
}

async function describeCall(
  request: FastifyRequest,
  status: number,
  answer: Json | undefined,
  { scope, secretPaths }: { scope?: ScopeGuard | undefined; secretPaths: SecretPathsOf },
): Promise<AuditEventInput> {
  const params = paramsOf(request);
  const naming = namingOf(request);
  const body = isObject(request.body) ? request.body : undefined;
  const query = isObject(request.query) ? request.query : {};

  const id = str(params.id) ?? (status < 300 ? str(answer?.id) : undefined);
  const kind = str(answer?.kind) ?? naming.noun;
  const ownId = kind === 'account' || kind === 'sub_account' ? id : undefined;
  const accountId =
    str(answer?.account_id) ?? ownId ?? str(body?.account_id) ?? str(query.account_id);

  let outcome: AuditEventInput['outcome'] = status >= 400 ? 'failure' : 'success';
  if (status === 401 || status === 403 || status === 429) outcome = 'denied';
  const principal = request.principal;
  if (wasHiddenByScope(request)) outcome = 'denied';
  else if ((status === 404 || status === 422) && principal && scope) {
    const touched = [...Object.values(params), body?.account_id, query.account_id]
      .map(str)
      .filter((v): v is string => !!v);
    if (await scope.hidesAny(principal, touched)) outcome = 'denied';
  }

  const change: Json = {};
  if (naming.access === 'write' && body) change.request = redactSecrets(body, secretPaths(kind));
  if (status >= 400) Object.assign(change, { status, code: str(answer?.code) ?? null });

  // An attempt on another tenant's object belongs to the caller's tenant, and names nothing of
  // the other one: that tenant's ids would otherwise reach the caller's own auditors.
  const hidden = outcome === 'denied' && status !== 401 && status !== 403 && status !== 429;
  if (hidden) {
    return {
      event: naming.event,
      access: naming.access,
      accountId: principal?.scopeAccountId ?? undefined,
      actor: principal?.name ?? 'anonymous',
      outcome,
      ip: request.ip,
      requestId: String(request.id),
      change: { status, code: str(answer?.code) ?? null, reason: 'out_of_scope' },
    };
  }
  return {
    event: naming.event,
    access: naming.access,
    resource: request.auditSubject?.resource ?? (id !== undefined ? `${kind}/${id}` : undefined),
    accountId: request.auditSubject?.accountId ?? accountId,
    actor: principal?.name ?? 'anonymous',
    outcome,
    ip: request.ip,
    requestId: String(request.id),
    change: Object.keys(change).length > 0 ? change : undefined,
  };
}

function parseJson(payload: unknown): Json | undefined {
  if (typeof payload !== 'string' || payload.length > 262_144) return undefined;
  try {
    const value: unknown = JSON.parse(payload);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
