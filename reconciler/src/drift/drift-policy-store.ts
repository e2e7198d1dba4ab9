import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/database.js';
import type { DriftPoliciesTable } from '../store/tables/drift-tables.js';
import type { DriftMode } from './drift-policy.js';

export interface DriftPolicyInput {
  readonly mode?: DriftMode | null;
  readonly ignore_fields?: readonly string[];
  readonly scan_interval_seconds?: number | null;
}

/** A stored policy as the API shows it. */
export interface DriftPolicyView {
  readonly target_id: string;
  readonly target_type: 'account' | 'resource';
  readonly mode: DriftMode | null;
  readonly ignore_fields: readonly string[];
  readonly scan_interval_seconds: number | null;
  readonly updated_by: string;
  readonly updated_at: string;
}

export type PolicyWriteError = {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
};

/** Drift policies keyed by the account, sub-account or resource they govern. */
export class DriftPolicyStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Creates or replaces the policy of `targetId`. The target must be a desired resource; a scan
   * interval only fits accounts. Returns the problems instead of writing when there are any.
   */
  async put(
    targetId: string,
    input: DriftPolicyInput,
    actor: string,
  ): Promise<DriftPolicyView | PolicyWriteError[] | undefined> {
    const target = await this.db
      .selectFrom('resources')
      .select(['id', 'kind'])
      .where('id', '=', targetId)
      .executeTakeFirst();
    if (!target) return undefined;
    const targetType =
      target.kind === 'account' || target.kind === 'sub_account' ? 'account' : 'resource';
    if (targetType === 'resource' && input.scan_interval_seconds != null) {
      return [
        {
          field: 'scan_interval_seconds',
          rule: 'account_only',
          message: 'scan_interval_seconds applies to accounts and sub-accounts only',
        },
      ];
    }
    const values = {
      target_type: targetType,
      mode: input.mode ?? null,
      ignore_fields: JSON.stringify([...new Set(input.ignore_fields ?? [])].sort()),
      scan_interval_seconds: input.scan_interval_seconds ?? null,
      updated_by: actor,
      updated_at: new Date(),
    } as const;
    const row = await this.db
      .insertInto('drift_policies')
      .values({ target_id: targetId, ...values })
      .onConflict((oc) => oc.column('target_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    // A shorter interval takes effect now rather than after the interval already scheduled.
    if (targetType === 'account' && input.scan_interval_seconds != null) {
      await this.db
        .updateTable('drift_scans')
        .set({ next_scan_at: new Date(Date.now() + input.scan_interval_seconds * 1000) })
        .where('account_id', '=', targetId)
        .where('next_scan_at', '>', new Date(Date.now() + input.scan_interval_seconds * 1000))
        .execute();
    }
    return view(row);
  }

  /** The kind and owning account (itself, for an account) of a policy target, if it exists. */
  async target(targetId: string): Promise<{ kind: string; accountId: string } | undefined> {
    const row = await this.db
      .selectFrom('resources')
      .select(['kind', 'account_id'])
      .where('id', '=', targetId)
      .executeTakeFirst();
    return row && { kind: row.kind, accountId: row.account_id ?? targetId };
  }

  async get(targetId: string): Promise<DriftPolicyView | undefined> {
    const row = await this.db
      .selectFrom('drift_policies')
      .selectAll()
      .where('target_id', '=', targetId)
      .executeTakeFirst();
    return row ? view(row) : undefined;
  }

  /** Policies of targets owned by `accountIds` (null: all). */
  async list(accountIds: readonly string[] | null): Promise<DriftPolicyView[]> {
    let q = this.db
      .selectFrom('drift_policies as p')
      .innerJoin('resources as r', 'r.id', 'p.target_id')
      .selectAll('p')
      .orderBy('p.target_id');
    if (accountIds !== null) {
      const ids = accountIds.length > 0 ? [...accountIds] : [''];
      q = q.where((eb) => eb.or([eb('r.id', 'in', ids), eb('r.account_id', 'in', ids)]));
    }
    return (await q.execute()).map(view);
  }

  async delete(targetId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('drift_policies')
      .where('target_id', '=', targetId)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }
}

function view(row: Selectable<DriftPoliciesTable>): DriftPolicyView {
  return {
    target_id: row.target_id,
    target_type: row.target_type,
    mode: row.mode,
    ignore_fields: row.ignore_fields,
    scan_interval_seconds: row.scan_interval_seconds,
    updated_by: row.updated_by,
    updated_at: row.updated_at.toISOString(),
  };
}
