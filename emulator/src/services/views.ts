import type { Platform } from './platform.js';
import type { Attrs, ObjectRecord } from '../model/records.js';
import type { RuleContext } from '../rules/kind-rules.js';

/** An object as the API returns it: platform metadata around the schema attributes. */
export interface ObjectView {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly client_reference: string | null;
  readonly attributes: Attrs;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Attributes with the platform-generated ones filled in; secrets are never part of them. */
export function attributesOf(p: Platform, ctx: RuleContext, rec: ObjectRecord): Attrs {
  const info = p.kinds.get(rec.kind).info;
  const out: Attrs = { ...rec.attributes, ...rec.generated };
  for (const path of info.computed) {
    if (/^platform_[a-z_]+_id$/.test(path)) out[path] = rec.id;
  }
  return { ...out, ...(p.rules[rec.kind]?.computed?.(ctx, rec) ?? {}) };
}

export function objectView(p: Platform, ctx: RuleContext, rec: ObjectRecord): ObjectView {
  return {
    id: rec.id,
    kind: rec.kind,
    account_id: rec.account_id,
    client_reference: rec.client_reference,
    attributes: attributesOf(p, ctx, rec),
    created_at: rec.created_at,
    updated_at: rec.updated_at,
  };
}
