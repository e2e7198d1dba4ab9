import { randomBytes } from 'node:crypto';
import { errors } from '../errors/error-catalogue.js';
import { applyDefaults } from '../model/kind-table.js';
import type { Attrs, ObjectRecord } from '../model/records.js';
import { splitSecrets } from '../model/secrets.js';
import { validateAttributes } from '../model/validate-attributes.js';
import { hashKey } from '../auth/principal.js';
import type { Change, RuleContext } from '../rules/kind-rules.js';
import type { Platform } from './platform.js';
import { moduleEventOf } from '../webhooks/module-events.js';

export interface CreateResult {
  readonly rec: ObjectRecord;
  readonly created: boolean;
  /** The new account's own API key; only on the creation of an account or sub-account. */
  readonly apiKey?: string;
}

/**
 * Creates an object, or returns the one already holding `clientRef` (so a retried create never
 * makes a second object). Everything up to the write runs synchronously: two concurrent
 * requests cannot both pass a limit check. The caller awaits `store.durable()` before replying.
 */
export function createObject(
  p: Platform,
  ctx: RuleContext,
  kind: string,
  ownerId: string | null,
  body: Attrs,
  clientRef: string | null,
): CreateResult {
  const k = p.kinds.get(kind);
  if (k.info.dataSource) throw errors.unknownKind(kind);
  if (clientRef !== null) {
    const existing = p.repo.findByClientRef(ownerId, kind, clientRef);
    if (existing) return { rec: existing, created: false };
  }
  const attrs = ownerId === null ? { ...body } : { ...body, account_id: ownerId };
  validateAttributes(p.repo, kind, attrs, 'create', ownerId);
  if (ownerId !== null && kind !== 'seat') checkLimit(p, ownerId, kind);
  const { attributes, secrets } = splitSecrets(k.info.secrets, applyDefaults(k.info.schema, attrs));
  const seq = p.repo.nextSeq();
  const id = k.info.singleton ? `${k.idPrefix}-${ownerId}` : `${k.idPrefix}-${seq}`;
  const change: Change = { op: 'create', kind, accountId: ownerId, id, next: attributes, secrets };
  const generated = p.rules[kind]?.check?.(ctx, change) ?? {};
  const now = ctx.now.toISOString();
  const rec: ObjectRecord = {
    id,
    seq,
    kind,
    account_id: ownerId,
    client_reference: clientRef,
    attributes,
    secrets,
    generated,
    created_at: now,
    updated_at: now,
  };
  p.repo.put(rec);
  let apiKey: string | undefined;
  if (kind === 'account' || kind === 'sub_account') apiKey = createAccountMeta(p, ctx, rec);
  p.rules[kind]?.afterWrite?.(ctx, rec, undefined);
  emit(p, ctx, rec, 'created');
  return { rec, created: true, ...(apiKey ? { apiKey } : {}) };
}

/**
 * Replaces an object's attributes with `body` (PUT semantics: unset attributes go back to their
 * defaults; omitted secrets are kept). `asConsole` merges instead and skips defaults, as an
 * administrator editing one field in the vendor's console would.
 */
export function updateObject(
  p: Platform,
  ctx: RuleContext,
  prev: ObjectRecord,
  body: Attrs,
  opts: { merge?: boolean } = {},
): ObjectRecord {
  const k = p.kinds.get(prev.kind);
  const merged = opts.merge ? mergeAttrs(prev.attributes, body) : { ...body };
  const attrs = prev.account_id === null ? merged : { ...merged, account_id: prev.account_id };
  if (body.account_id !== undefined && body.account_id !== prev.account_id) {
    throw errors.invalid(
      'account_id',
      'immutable',
      'account_id cannot change; create a new object',
    );
  }
  validateAttributes(p.repo, prev.kind, attrs, 'update', prev.account_id);
  const full = opts.merge ? attrs : applyDefaults(k.info.schema, attrs);
  const { attributes, secrets } = splitSecrets(k.info.secrets, full, prev.secrets);
  const change: Change = {
    op: 'update',
    kind: prev.kind,
    accountId: prev.account_id,
    id: prev.id,
    next: attributes,
    secrets,
    prev,
  };
  const generated = p.rules[prev.kind]?.check?.(ctx, change) ?? prev.generated;
  const rec: ObjectRecord = {
    ...prev,
    attributes,
    secrets,
    generated,
    updated_at: ctx.now.toISOString(),
  };
  p.repo.put(rec);
  p.rules[prev.kind]?.afterWrite?.(ctx, rec, prev);
  emit(p, ctx, rec, 'updated');
  return rec;
}

/** Deletes an object (an account takes everything it owns with it) and records the deletion. */
export function deleteObject(p: Platform, ctx: RuleContext, rec: ObjectRecord, by: string): number {
  let count = 0;
  const cascade: RuleContext = { ...ctx, cascade: true };
  const removeTree = (r: ObjectRecord, within: RuleContext) => {
    if (r.kind === 'account' || r.kind === 'sub_account') {
      for (const k of p.kinds.all())
        for (const child of [...p.repo.list(r.id, k.kind)]) removeTree(child, cascade);
      p.repo.removeMeta(r.id);
    }
    p.rules[r.kind]?.beforeDelete?.(within, r);
    if (p.repo.remove(r.id)) count++;
    emit(p, ctx, r, 'deleted');
  };
  removeTree(rec, ctx);
  const owner = rec.account_id ?? rec.id;
  if (p.repo.get(owner) || rec.account_id === null) {
    p.deletions.add(owner, ctx.now, { deleted_by: by, entity: rec.kind, count });
  }
  return count;
}

function checkLimit(p: Platform, ownerId: string, kind: string): void {
  const meta = p.repo.meta(ownerId);
  const max = meta?.limits[kind] ?? p.config.defaultLimits[kind];
  if (max === undefined) return;
  if (p.repo.count(ownerId, kind) >= max) {
    const field = `max_${kind.endsWith('s') ? kind : `${kind}s`}`;
    throw errors.limitReached(
      field,
      'account_limit',
      `account ${ownerId} may have at most ${max} ${kind} objects (${field})`,
    );
  }
}

function createAccountMeta(p: Platform, ctx: RuleContext, rec: ObjectRecord): string {
  const apiKey = `acct_${randomBytes(24).toString('base64url')}`;
  const parentMeta = rec.account_id ? p.repo.meta(rec.account_id) : undefined;
  const partnerHash =
    parentMeta?.partner_hash ??
    (ctx.principal !== 'console' && ctx.principal.type === 'partner'
      ? ctx.principal.partnerHash
      : hashKey(p.config.partnerKey));
  p.repo.putMeta({
    account_id: rec.id,
    api_key_hash: hashKey(apiKey),
    partner_hash: partnerHash,
    limits: {},
  });
  return apiKey;
}

function emit(p: Platform, ctx: RuleContext, rec: ObjectRecord, verb: string): void {
  const ev = moduleEventOf(rec.kind, verb);
  if (!ev || rec.account_id === null) return;
  p.webhooks.emit(rec.account_id, ev.module, ev.trigger, {
    id: rec.id,
    client_reference: rec.client_reference,
    attributes: rec.attributes,
  });
}

function mergeAttrs(base: Attrs, patch: Attrs): Attrs {
  const out: Attrs = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObj(value) && isObj(out[key])) out[key] = mergeAttrs(out[key] as Attrs, value);
    else out[key] = value;
  }
  return out;
}

function isObj(v: unknown): v is Attrs {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
