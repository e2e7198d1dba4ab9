import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { SealedSecret } from '../secrets/secret-box.js';
import type { ApiTokenEpochTable, ApiTokensTable } from './tables/api-tokens-table.js';
import type { JobRunsTable } from './tables/job-runs-table.js';
import type {
  AuditChainCheckpointTable,
  AuditChainHeadTable,
  AuditEventsTable,
} from './tables/audit-events-table.js';
import type {
  DriftPoliciesTable,
  DriftRecordsTable,
  DriftScansTable,
  UnmanagedObjectsTable,
} from './tables/drift-tables.js';
import type {
  NotificationOutboxTable,
  NotificationSubscriptionsTable,
} from './tables/notification-tables.js';

/**
 * The database as kysely sees it. Each migration's tables are declared here; see
 * `migrations/index.ts` for the numbering.
 */
export interface Database {
  resources: ResourcesTable;
  idempotency_keys: IdempotencyKeysTable;
  api_tokens: ApiTokensTable;
  api_token_epoch: ApiTokenEpochTable;
  job_runs: JobRunsTable;
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
  audit_chain_checkpoint: AuditChainCheckpointTable;
  drift_policies: DriftPoliciesTable;
  drift_records: DriftRecordsTable;
  unmanaged_objects: UnmanagedObjectsTable;
  drift_scans: DriftScansTable;
  notification_subscriptions: NotificationSubscriptionsTable;
  notification_outbox: NotificationOutboxTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

export interface Condition {
  readonly type: 'Synced' | 'Ready';
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly field: string | null;
  readonly last_transition_time: string;
}

export interface ResourcesTable {
  id: string;
  kind: string;
  account_id: string | null;
  root_account_id: string;
  generation: Generated<number>;
  spec: JSONColumnType<Record<string, unknown>>;
  secrets: ColumnType<Record<string, SealedSecret>, string | undefined, string>;
  deletion_requested_at: NullableTimestamp;
  external_id: string | null;
  applied_generation: Generated<number>;
  observed: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** observedDigest of the platform document a drift scan last wrote to `observed` (0011). */
  observed_digest: ColumnType<string | null, string | null | undefined, string | null>;
  /** Drawn anew whenever what a drift scan reads of the row changes (0016); see drift_scans.clean_key. */
  desired_seq: ColumnType<string, never, never>;
  conditions: ColumnType<Condition[], string | undefined, string>;
  last_reconciled_at: NullableTimestamp;
  next_reconcile_at: NullableTimestamp;
  attempts: Generated<number>;
  claimed_by: string | null;
  claimed_until: NullableTimestamp;
  create_pending_at: NullableTimestamp;
  last_error: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The principal (token name) whose write made the desired state; null: telform's own (0013). */
  changed_by: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdempotencyKeysTable {
  key: string;
  principal: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}
