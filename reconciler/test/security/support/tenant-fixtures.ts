// Builds tenants for the security suites: one object of every managed kind in a fresh
// sub-account, with references resolved inside the same tree.
import { applyOrder, getKind } from '@telform/schemas';
import type { ResourceStore } from '../../../src/resources/resource-store.js';

const all = { scopeAccountId: null };

/** The kind's example as a create body under `accountId`, references pointing into `fixtures`. */
export function exampleBody(
  kind: string,
  accountId: string,
  fixtures: Readonly<Record<string, string>>,
) {
  const info = getKind(kind);
  const body = structuredClone(info.example) as Record<string, unknown>;
  for (const ref of info.references) {
    if (ref.attribute === 'account_id') body.account_id = accountId;
    else if (ref.attribute in body || ref.kinds.some((k) => fixtures[k])) {
      const target = ref.kinds.map((k) => fixtures[k]).find(Boolean);
      // A list of references (a playlist's clips) gets the fixture as its one item.
      if (target) body[ref.attribute] = Array.isArray(body[ref.attribute]) ? [target] : target;
    }
  }
  return body;
}

/** A fresh sub-account under `parentId`, and (when `populate`) one object of every managed kind in it. */
export async function createTenant(
  store: ResourceStore,
  parentId: string,
  populate = true,
): Promise<{ accountId: string; ids: Record<string, string> }> {
  const sub = await store.create('sub_account', exampleBody('sub_account', parentId, {}), all);
  const ids: Record<string, string> = { sub_account: sub.id };
  if (!populate) return { accountId: sub.id, ids };
  for (const kind of applyOrder()) {
    if (kind === 'account' || kind === 'sub_account') continue;
    ids[kind] = (await store.create(kind, exampleBody(kind, sub.id, ids), all)).id;
  }
  return { accountId: sub.id, ids };
}
