// Wires the engine over one test database and a FakeDriver, and drains the queue one row at a
// time (parents first, as the claim orders them) so tests read as a sequence of reconciles.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AuditEventInput, AuditSink } from '../../src/audit/audit-sink.js';
import { AccountBudget } from '../../src/driver/account-budget.js';
import { GuardedDriver } from '../../src/driver/guarded-driver.js';
import { defaultRequeueDelays } from '../../src/reconcile/failure-outcome.js';
import { KindGraph } from '../../src/reconcile/kind-graph.js';
import { noopReconcileMetrics } from '../../src/reconcile/reconcile-metrics.js';
import {
  reconcileResource,
  type ReconcileDeps,
  type ReconcileOutcome,
} from '../../src/reconcile/reconcile-resource.js';
import { ReferenceResolver } from '../../src/reconcile/reference-resolver.js';
import { WorkQueue, type ResourceRow } from '../../src/reconcile/work-queue.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import type { Database } from '../../src/store/database.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { FakeDriver } from './fake-driver.js';

export class RecordingAudit implements AuditSink {
  readonly events: AuditEventInput[] = [];
  async record(event: AuditEventInput): Promise<void> {
    this.events.push(event);
  }
}

export interface Harness {
  readonly db: Kysely<Database>;
  readonly store: ResourceStore;
  readonly driver: FakeDriver;
  readonly audit: RecordingAudit;
  readonly queue: WorkQueue;
  readonly deps: ReconcileDeps;
  /** Claims one due row (if any) and reconciles it. */
  step(): Promise<{ row: ResourceRow; outcome: ReconcileOutcome } | undefined>;
  /** Steps until nothing is due; returns the outcomes in order. */
  drain(max?: number): Promise<ReconcileOutcome[]>;
  row(id: string): Promise<ResourceRow | undefined>;
  /** Makes every row due now (skipping requeue delays). */
  dueNow(): Promise<void>;
}

export const scope = { scopeAccountId: null };

export function makeHarness(db: Kysely<Database>, owner = 'test'): Harness {
  const graph = new KindGraph();
  const box = new AesGcmSecretBox(randomBytes(32));
  const store = new ResourceStore(db, box);
  const driver = new FakeDriver();
  const audit = new RecordingAudit();
  const queue = new WorkQueue(db, graph, { owner, leaseMs: 30_000 });
  const deps: ReconcileDeps = {
    queue,
    references: new ReferenceResolver(db, graph),
    graph,
    driver: new GuardedDriver(
      driver,
      new AccountBudget({ maxConcurrent: 4, ratePerSecond: 1_000 }),
      noopReconcileMetrics,
    ),
    secrets: box,
    audit,
    metrics: noopReconcileMetrics,
    backoff: { baseMs: 10, capMs: 100, random: () => 0.5 },
    delays: { ...defaultRequeueDelays, dependencyMs: 0 },
  };
  const step = async () => {
    const [row] = await queue.claim(1);
    if (!row) return undefined;
    return { row, outcome: await reconcileResource(deps, row) };
  };
  return {
    db,
    store,
    driver,
    audit,
    queue,
    deps,
    step,
    async drain(max = 100) {
      const outcomes: ReconcileOutcome[] = [];
      for (let i = 0; i < max; i++) {
        const done = await step();
        if (!done) return outcomes;
        outcomes.push(done.outcome);
      }
      throw new Error(`queue not drained after ${max} reconciles: ${outcomes.join(', ')}`);
    },
    row: (id) => db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst(),
    async dueNow() {
      await db
        .updateTable('resources')
        .set({ next_reconcile_at: sql`now()` })
        .where('next_reconcile_at', 'is not', null)
        .execute();
    },
  };
}

export const accountSpec = { name: 'Acme', email: 'admin@acme.example' };
export const userSpec = (accountId: string, n = 1) => ({
  account_id: accountId,
  name: `User ${n}`,
  login: `user${n}`,
  email: `user${n}@acme.example`,
});
