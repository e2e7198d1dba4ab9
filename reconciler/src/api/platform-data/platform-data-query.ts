import type { KindInfo } from '@telform/schemas';
import { ProblemError } from '../problem.js';
import type { ResourceRepresentation } from '../../resources/resource-representation.js';
import type { Scoped } from '../../store/scoped.js';

/**
 * The arguments of a data source (`since`, `until`, `search`, `webhook_id`, ...) as the query
 * string of `/v1/accounts/{id}/<data-source>` and, resolved to platform ids, of the platform's
 * own read. The arguments are the kind's top-level attributes other than `account_id` that are
 * not computed.
 */
export interface PlatformDataQuery {
  /** Query parameters for the platform, telform ids already swapped for platform ids. */
  readonly params: Readonly<Record<string, string>>;
  /** A referenced object is not on the platform yet: it has no history to read. */
  readonly nothingYet: boolean;
}

/** Lookup of a resource the caller can see, across the kinds an attribute may reference. */
export type FindResource = (
  kinds: readonly string[],
  id: string,
  scope: Scoped,
) => Promise<ResourceRepresentation | undefined>;

/** The paging parameters of a paged data source (`KindInfo.paged`). */
const pageParameters = {
  cursor: {
    type: 'string',
    minLength: 1,
    maxLength: 512,
    description: '`next_cursor` of the previous page: older entries.',
  },
  limit: {
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'Entries per page.',
  },
} as const;

// Platform parameter names that differ from the data source's attribute names.
const platformNames: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  seat_log: { filter_account_id: 'account' },
};

export function dataSourceArguments(info: KindInfo): string[] {
  const computed = new Set(info.computed);
  return Object.keys(info.schema.properties).filter((n) => n !== 'account_id' && !computed.has(n));
}

/**
 * The route's querystring schema: the arguments' own schemas (and, for a paged kind, `cursor`
 * and `limit`), nothing else accepted.
 */
export function dataSourceQuerystring(info: KindInfo): Record<string, unknown> {
  const properties: Record<string, unknown> = info.paged ? { ...pageParameters } : {};
  for (const name of dataSourceArguments(info)) {
    const node = info.schema.properties[name] as unknown as Record<string, unknown>;
    properties[name] = Object.fromEntries(
      Object.entries(node).filter(([k]) => !k.startsWith('x-telform')),
    );
  }
  return { type: 'object', additionalProperties: false, properties };
}

/**
 * Resolves the query: references (`webhook_id`, `filter_account_id`) must name a resource the
 * caller can see (404 naming the field otherwise) of this account (a webhook) or of its
 * subtree (an account filter); 422 naming the field when it is elsewhere.
 */
export async function resolvePlatformDataQuery(
  info: KindInfo,
  account: ResourceRepresentation,
  query: Readonly<Record<string, string | undefined>>,
  scope: Scoped,
  find: FindResource,
): Promise<PlatformDataQuery> {
  const params: Record<string, string> = {};
  let nothingYet = false;
  for (const name of dataSourceArguments(info)) {
    const value = query[name];
    if (value === undefined) continue;
    const platformName = platformNames[info.kind]?.[name] ?? name;
    const ref = info.references.find((r) => r.attribute === name);
    if (!ref) {
      params[platformName] = value;
      continue;
    }
    const target = await find(ref.kinds, value, scope);
    if (!target) {
      throw new ProblemError('not_found', `${name}: no ${ref.kinds.join(' or ')} ${value}`, [
        { field: name, rule: 'exists', message: `no ${ref.kinds.join(' or ')} ${value}` },
      ]);
    }
    const inside = await isWithin(target, account, find, scope, ref.kinds.includes('account'));
    if (!inside) {
      const where = ref.kinds.includes('account') ? 'in the subtree of' : 'of';
      throw new ProblemError('validation_failed', `${name} must be ${where} ${account.id}`, [
        { field: name, rule: 'in_account', message: `${value} is not ${where} ${account.id}` },
      ]);
    }
    if (!target.status.external_id) nothingYet = true;
    else params[platformName] = target.status.external_id;
  }
  return { params, nothingYet };
}

// A webhook belongs to the account itself; an account filter may also name a sub-account below.
async function isWithin(
  target: ResourceRepresentation,
  account: ResourceRepresentation,
  find: FindResource,
  scope: Scoped,
  subtree: boolean,
): Promise<boolean> {
  if (!subtree) return target.account_id === account.id;
  let at: ResourceRepresentation | undefined = target;
  for (let depth = 0; at && depth < 32; depth++) {
    if (at.id === account.id) return true;
    at = at.account_id ? await find(['account', 'sub_account'], at.account_id, scope) : undefined;
  }
  return false;
}
