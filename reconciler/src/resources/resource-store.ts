import { sql, type Kysely } from 'kysely';
import { getKind, isFinalReason, newId, type KindInfo } from '@telform/schemas';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Condition, Database } from '../store/database.js';
import { resolveAccountTree, rowInTree, type AccountTree } from '../store/account-scope.js';
import { canonicalJson, cloneJson, getAt } from '../store/attribute-paths.js';
import { checkReferences } from '../store/reference-checker.js';
import { openObserved } from '../store/observed-secrets.js';
import {
  maskedObserved,
  toRepresentation,
  representedColumns,
  type ObservedView,
  type RepresentedRow,
  type ResourceRepresentation,
} from './resource-representation.js';
import { sealSecrets } from '../store/secret-fields.js';
import { StoreError, type FieldError } from '../store/store-error.js';
import { loadPlatformSpecs, platformSpecsFrom } from '../drift/load-platform-specs.js';
import { platformViewColumns, type PlatformViewColumns } from '../drift/platform-view-columns.js';
import { listResources, type ListPage, type ListQuery } from './list-resources.js';
import { pendingConditions } from '../store/pending-conditions.js';
import { queueDepth } from '../store/queue-depth.js';
import { runPrepared } from '../store/prepared-statements.js';
import { reusableQuery } from '../store/reusable-query.js';

export type { ListPage, ListQuery } from './list-resources.js';
export type { Scoped } from '../store/scoped.js';
import type { Scoped } from '../store/scoped.js';

type Attributes = Record<string, unknown>;
type Executor = Kysely<Database>;

/**
 * Who makes a write (an authenticated principal's name, never a secret): kept as the row's
 * `changed_by`, and the reconciler applies the change on the platform in that name.
 */
export interface Authored {
  readonly actor?: string;
}

// GET one's statement per kind, compiled on first use (the SQL depends on the kind only).
const getOneQueries = new Map<string, ReturnType<typeof compileGetOne>>();

function compileGetOne(db: Executor, kind: string) {
  return reusableQuery<RepresentedRow & PlatformViewColumns, 'id'>((slot) =>
    db
      .selectFrom('resources as r')
      .select(representedColumns)
      .select(platformViewColumns(kind))
      .where('r.id', '=', slot('id') as string)
      .where('r.kind', '=', kind),
  );
}

function getOne(db: Executor, kind: string) {
  let query = getOneQueries.get(kind);
  if (!query) getOneQueries.set(kind, (query = compileGetOne(db, kind)));
  return query;
}

/**
 * Desired state. Every write commits together with its work-queue columns (the engine sees a
 * change as soon as it commits); methods that take an `executor` run inside the caller's
 * transaction (for Idempotency-Key), the others open their own. Out-of-scope rows are absent.
 */
export class ResourceStore {
  constructor(
    readonly db: Kysely<Database>,
    private readonly secretBox: SecretBox,
  ) {}

  async create(
    kind: string,
    attributes: Attributes,
    scope: Scoped & Authored,
    executor?: Executor,
  ): Promise<ResourceRepresentation> {
    if (!executor)
      return this.db.transaction().execute((trx) => this.create(kind, attributes, scope, trx));
    const info = managedKind(kind);
    const attrs = cloneJson(attributes);
    const id = newId(kind);
    const tree = await this.scopeTree(scope, executor);
    let root = id;
    if (info.scope === 'global' && tree) {
      throw new StoreError(
        'forbidden',
        'a token scoped to one account cannot create top-level accounts',
      );
    }
    const refs = await checkReferences(executor, info, attrs, tree);
    if (refs.errors.length > 0) throw invalid(refs.errors);
    if (info.scope === 'account') {
      if (refs.root === undefined) throw invalid([missing('account_id')]);
      root = refs.root;
    }
    if (info.singleton) await this.refuseSecondSingleton(executor, kind, String(attrs.account_id));
    const { sealed } = sealSecrets(this.secretBox, id, info.secrets, attrs);
    const row = await executor
      .insertInto('resources')
      .values({
        id,
        kind,
        account_id: info.scope === 'account' ? String(attrs.account_id) : null,
        root_account_id: root,
        spec: JSON.stringify(attrs),
        secrets: JSON.stringify(sealed),
        conditions: JSON.stringify(pendingConditions([], 'waiting for the first reconcile')),
        next_reconcile_at: sql<Date>`now()`,
        changed_by: scope.actor ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRepresentation(row);
  }

  async get(kind: string, id: string, scope: Scoped): Promise<ResourceRepresentation | undefined> {
    // The row and what its platform view needs, in one statement, compiled once per kind and
    // run as a prepared statement (the server plans it once per connection).
    const [row] = await runPrepared(
      this.db,
      `telform_get_${kind}`,
      getOne(this.db, kind).bind({ id }),
    );
    // An unscoped caller sees every row: no scope check to wait for.
    if (!row) return undefined;
    if (scope.scopeAccountId !== null && !(await this.visible(row, scope, this.db)))
      return undefined;
    const view = platformSpecsFrom(row.platform_known, row.platform_policies)(row);
    return toRepresentation(row, this.observedView(scope), view?.spec ?? null);
  }

  /**
   * A row the caller already holds (the engine's recorded outcome, for a long-poll) as `get`
   * answers it: undefined when out of scope, else with its platform view (one statement).
   */
  async represent(row: RepresentedRow, scope: Scoped): Promise<ResourceRepresentation | undefined> {
    if (!(await this.visible(row, scope, this.db))) return undefined;
    const specs = await loadPlatformSpecs(this.db, [row]);
    return toRepresentation(row, this.observedView(scope), specs(row)?.spec ?? null);
  }

  /**
   * Replaces the spec. Bumps the generation when something changed, or when the platform no
   * longer holds the unchanged spec (drift outside the ignored fields): a re-apply, as
   * `terraform apply` asks after a refresh showed the platform's values.
   */
  async replace(
    kind: string,
    id: string,
    attributes: Attributes,
    options: Scoped & Authored & { readonly ifMatch?: number },
    executor?: Executor,
  ): Promise<ResourceRepresentation> {
    if (!executor)
      return this.db
        .transaction()
        .execute((trx) => this.replace(kind, id, attributes, options, trx));
    const info = managedKind(kind);
    const row = await this.lockVisible(executor, kind, id, options, options.ifMatch);
    if (row.deletion_requested_at !== null) {
      throw new StoreError('conflict', `${kind} ${id} is being deleted; it cannot be changed`);
    }
    const attrs = cloneJson(attributes);
    const { sealed, changed: secretsChanged } = sealSecrets(
      this.secretBox,
      id,
      info.secrets,
      attrs,
      row.secrets,
    );
    const forceNew = info.forceNew
      .filter((path) => canonicalJson(getAt(attrs, path)) !== canonicalJson(getAt(row.spec, path)))
      .map((path) => ({
        field: path,
        rule: 'force_new',
        message: `${path} cannot change; replace the resource instead`,
      }));
    if (forceNew.length > 0) throw invalid(forceNew);
    const refs = await checkReferences(
      executor,
      info,
      attrs,
      await this.scopeTree(options, executor),
    );
    if (refs.errors.length > 0) throw invalid(refs.errors);
    if (!secretsChanged && canonicalJson(attrs) === canonicalJson(row.spec)) {
      const held = (await loadPlatformSpecs(executor, [row]))(row);
      const reapply = held?.drifted === true && row.applied_generation === row.generation;
      if (!reapply) return toRepresentation(row);
    }
    const updated = await executor
      .updateTable('resources')
      .set((eb) => ({
        spec: JSON.stringify(attrs),
        secrets: JSON.stringify(sealed),
        generation: eb('generation', '+', 1),
        conditions: JSON.stringify(
          pendingConditions(row.conditions, 'a new generation waits for reconcile'),
        ),
        next_reconcile_at: sql<Date>`now()`,
        attempts: 0,
        last_error: null,
        changed_by: options.actor ?? null,
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRepresentation(updated);
  }

  /** Marks the resource for deletion; the engine removes the row once the platform is clean. */
  async requestDeletion(
    kind: string,
    id: string,
    options: Scoped & Authored & { readonly ifMatch?: number },
    executor?: Executor,
  ): Promise<ResourceRepresentation> {
    if (!executor)
      return this.db.transaction().execute((trx) => this.requestDeletion(kind, id, options, trx));
    managedKind(kind);
    const row = await this.lockVisible(executor, kind, id, options, options.ifMatch);
    // Asked again while under way: unchanged. Asked again after it failed for good (a blocked
    // deletion): tried again at once, since whatever blocked it may be gone now.
    if (row.deletion_requested_at !== null && !failedForGood(row.conditions)) {
      return toRepresentation(row);
    }
    const updated = await executor
      .updateTable('resources')
      .set({
        deletion_requested_at: row.deletion_requested_at ?? sql<Date>`now()`,
        conditions: JSON.stringify(
          pendingConditions(row.conditions, 'deletion waits for reconcile'),
        ),
        next_reconcile_at: sql<Date>`now()`,
        attempts: 0,
        changed_by: options.actor ?? null,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRepresentation(updated);
  }

  /** One page, ordered by id (keyset: rows inserted meanwhile never shift a page). */
  list(query: ListQuery): Promise<ListPage> {
    return listResources(this.db, query, this.observedView(query));
  }

  /** The work queue's depth (store/queue-depth.ts), for the `telform_queue_depth` gauge. */
  queueDepth(): Promise<number> {
    return queueDepth(this.db);
  }

  private observedView(scope: Scoped): ObservedView {
    if (!scope.revealGeneratedSecrets) return maskedObserved;
    return (row) =>
      row.observed === null
        ? null
        : openObserved(this.secretBox, row.id, getKind(row.kind).generatedSecrets, row.observed);
  }

  private async scopeTree(scope: Scoped, db: Executor): Promise<AccountTree | null> {
    return scope.scopeAccountId === null ? null : resolveAccountTree(db, scope.scopeAccountId);
  }

  private async visible(row: RepresentedRow, scope: Scoped, db: Executor): Promise<boolean> {
    const tree = await this.scopeTree(scope, db);
    return tree === null || rowInTree(row, tree);
  }

  private async lockVisible(
    db: Executor,
    kind: string,
    id: string,
    scope: Scoped,
    ifMatch?: number,
  ) {
    const row = await db
      .selectFrom('resources')
      .selectAll()
      .where('id', '=', id)
      .where('kind', '=', kind)
      .forUpdate()
      .executeTakeFirst();
    if (!row || !(await this.visible(row, scope, db)))
      throw new StoreError('not_found', `no ${kind} ${id}`);
    if (ifMatch !== undefined && row.generation !== ifMatch) {
      throw new StoreError(
        'precondition_failed',
        `${kind} ${id} is at generation ${row.generation}, not ${ifMatch}`,
      );
    }
    return row;
  }

  // Serialises creates of one singleton per account across replicas for this transaction.
  private async refuseSecondSingleton(db: Executor, kind: string, accountId: string) {
    await sql`select pg_advisory_xact_lock(hashtext(${`telform:singleton:${kind}:${accountId}`}))`.execute(
      db,
    );
    const existing = await db
      .selectFrom('resources')
      .select('id')
      .where('kind', '=', kind)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (existing)
      throw new StoreError(
        'conflict',
        `${accountId} already has a ${kind} (${existing.id}); there is one per account`,
      );
  }
}

function managedKind(kind: string): KindInfo {
  const info = getKind(kind);
  if (info.dataSource) throw new StoreError('conflict', `${kind} is read-only platform data`);
  return info;
}

function invalid(errors: FieldError[]): StoreError {
  return new StoreError('validation_failed', errors.map((e) => e.message).join('; '), errors);
}

function missing(field: string): FieldError {
  return { field, rule: 'required', message: `${field} is required` };
}

// A Synced=False condition whose reason ends an apply's wait (schemas' condition-reasons).
function failedForGood(conditions: readonly Condition[]): boolean {
  const synced = conditions.find((c) => c.type === 'Synced');
  return synced?.status === 'False' && isFinalReason(synced.reason);
}
