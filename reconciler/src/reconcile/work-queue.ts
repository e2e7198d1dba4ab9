import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, ResourcesTable } from '../store/database.js';
import type { KindGraph } from './kind-graph.js';
import type { ResourceChanges } from './resource-changes.js';
import { queueDepth } from '../store/queue-depth.js';

export type ResourceRow = Selectable<ResourcesTable>;
export type ResourcePatch = Omit<
  Updateable<ResourcesTable>,
  | 'id'
  | 'kind'
  | 'generation'
  | 'spec'
  | 'secrets'
  | 'claimed_by'
  | 'claimed_until'
  | 'next_reconcile_at'
>;

export interface WorkQueueOptions {
  /** This daemon's name in `claimed_by`. */
  readonly owner: string;
  /** How long a claim is exclusive; a crashed daemon's rows become claimable after it. */
  readonly leaseMs: number;
  /** Told after every recorded outcome and every forgotten row (the API's long-polls listen). */
  readonly changes?: ResourceChanges;
  /** Told when a recorded outcome leaves its row due at once (it changed while in flight). */
  readonly onDueNow?: () => void;
}

/**
 * The `resources` table seen as a queue: due rows are claimed with FOR UPDATE SKIP LOCKED under a
 * lease, so replicas on one Postgres never hold the same row, and a killed replica's rows come
 * back once its leases expire. Every write of an outcome checks the lease is still ours.
 */
export class WorkQueue {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly graph: KindGraph,
    readonly options: WorkQueueOptions,
  ) {}

  /**
   * Claims up to `limit` due rows, parents first for applies and children first for deletes.
   * A row never created on the platform is marked "create pending" in the same statement, so the
   * mark is durable before any create is sent (and costs no statement of its own). The returned
   * row carries the mark as it was before this claim: set only when an earlier attempt may have
   * created the object, the one case where the platform must be asked first.
   */
  async claim(limit: number): Promise<ResourceRow[]> {
    const depth = this.depthExpression();
    const { owner, leaseMs } = this.options;
    const rank = sql`case when deletion_requested_at is null then ${depth} else 1000 - ${depth} end`;
    type Claimed = ResourceRow & {
      claim_rank: number;
      claim_due_at: Date;
      was_pending: Date | null;
    };
    const result = await sql<Claimed>`
      with due as (
        select id, ${rank} as rank, next_reconcile_at as due_at, create_pending_at as was_pending
        from resources
        where next_reconcile_at <= now() and (claimed_until is null or claimed_until < now())
        order by rank, next_reconcile_at
        limit ${limit}
        for update skip locked
      ), claimed as (
        update resources r
        set claimed_by = ${owner}, claimed_until = now() + make_interval(secs => ${leaseMs / 1000}),
          create_pending_at = case
            when r.external_id is null and r.deletion_requested_at is null
            then coalesce(r.create_pending_at, now()) else r.create_pending_at end
        from due where r.id = due.id
        returning r.*, due.rank as claim_rank, due.due_at as claim_due_at, due.was_pending
      )
      select * from claimed order by claim_rank, claim_due_at`.execute(this.db);
    return result.rows.map(({ claim_rank: _r, claim_due_at: _d, was_pending, ...row }) => ({
      ...row,
      create_pending_at: was_pending,
    }));
  }

  /**
   * Records an outcome and releases the claim. When the desired row changed while we worked (a new
   * generation or a deletion request), it is due again at once whatever `requeueAfterMs` says.
   * Returns false when the lease was lost (another replica owns the row now): nothing was written.
   */
  async complete(
    row: ResourceRow,
    patch: ResourcePatch,
    requeueAfterMs: number | null,
  ): Promise<boolean> {
    const wasDeleting = row.deletion_requested_at !== null;
    const later =
      requeueAfterMs === null
        ? sql`null`
        : sql`now() + make_interval(secs => ${requeueAfterMs / 1000})`;
    const result = await this.db
      .updateTable('resources')
      .set({
        ...patch,
        claimed_by: null,
        claimed_until: null,
        updated_at: sql`now()`,
        next_reconcile_at: sql`case when generation <> ${row.generation}
          or (deletion_requested_at is not null) <> ${wasDeleting} then now() else ${later} end`,
      })
      .where('id', '=', row.id)
      .where('claimed_by', '=', this.options.owner)
      .returningAll()
      .returning(sql<boolean>`next_reconcile_at <= now()`.as('due_now'))
      .executeTakeFirst();
    if (!result) return false;
    const { due_now: dueNow, ...recorded } = result;
    // The long-polls answer from the row as recorded, without reading it again.
    this.options.changes?.changed(row.id, { row: recorded });
    if (dueNow) this.options.onDueNow?.();
    return true;
  }

  /**
   * Removes a row whose deletion finished on the platform, and in the same statement resolves
   * its open drift records: a deleted resource has no drift, and the report should say so now,
   * not after the account's next scan.
   */
  async forget(row: ResourceRow): Promise<boolean> {
    const result = await this.db
      .with('gone', (db) =>
        db
          .deleteFrom('resources')
          .where('id', '=', row.id)
          .where('claimed_by', '=', this.options.owner)
          .where('deletion_requested_at', 'is not', null)
          .returning('id'),
      )
      .with('closed', (db) =>
        db
          .updateTable('drift_records')
          .set({ state: 'resolved', resolved_at: sql`now()` })
          .where('state', '=', 'open')
          .where('resource_id', 'in', (q) => q.selectFrom('gone').select('id'))
          .returning('id'),
      )
      .selectFrom('gone')
      .select('id')
      .executeTakeFirst();
    const forgotten = result !== undefined;
    if (forgotten) this.options.changes?.changed(row.id, { row: null });
    return forgotten;
  }

  /** Gives back claims without an outcome (graceful stop): due again at once for any replica. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('resources')
      .set({ claimed_by: null, claimed_until: null })
      .where('id', 'in', ids)
      .where('claimed_by', '=', this.options.owner)
      .execute();
  }

  /** Rows due now and not held by anyone (the one definition in store/queue-depth.ts). */
  depth(): Promise<number> {
    return queueDepth(this.db);
  }

  /** Makes every row applied longer than `olderThanMs` ago due again (the resync job). */
  async requeueApplied(olderThanMs: number): Promise<number> {
    const result = await this.db
      .updateTable('resources')
      .set({ next_reconcile_at: sql`now()` })
      .where('next_reconcile_at', 'is', null)
      .where(
        'last_reconciled_at',
        '<',
        sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`,
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private depthExpression() {
    const kinds = this.graph.names();
    if (kinds.length === 0) return sql`0`;
    const whens = kinds.map((k) => sql`when ${sql.lit(k)} then ${sql.lit(this.graph.depth(k))}`);
    return sql`(case kind ${sql.join(whens, sql` `)} else 0 end)`;
  }
}
