// Writes desired resources straight into the store as if the engine had applied them already.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/database.js';
import { observedDigest } from '../../src/store/observed-digest.js';

export interface AppliedResource {
  readonly id: string;
  readonly kind: string;
  readonly accountId: string | null;
  readonly rootAccountId: string;
  readonly spec: Record<string, unknown>;
  readonly externalId: string | null;
  /** Desired generation ahead of the applied one: the engine has work to do. */
  readonly pending?: boolean;
  /** What the engine recorded the platform holding after its apply, with its digest. */
  readonly observed?: Record<string, unknown>;
}

export async function seedResources(
  db: Kysely<Database>,
  rows: readonly AppliedResource[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('resources')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          id: r.id,
          kind: r.kind,
          account_id: r.accountId,
          root_account_id: r.rootAccountId,
          spec: JSON.stringify(r.spec),
          external_id: r.externalId,
          generation: r.pending ? 2 : 1,
          applied_generation: r.externalId ? 1 : 0,
          next_reconcile_at: null,
          ...(r.observed
            ? { observed: JSON.stringify(r.observed), observed_digest: observedDigest(r.observed) }
            : {}),
        })),
      )
      .execute();
  }
}
