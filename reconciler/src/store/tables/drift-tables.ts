import type { ColumnType, Generated } from 'kysely';

/** One attribute whose platform value differs from the desired one. */
export interface FieldDrift {
  /** Dotted path, such as `privileges.admin`. */
  readonly field: string;
  readonly desired: unknown;
  readonly actual: unknown;
}

export type DriftAction = 'reported' | 'corrected' | 'ignored';
export type DriftState = 'open' | 'resolved';

/** Who changed a drifted resource on the platform, from the platform's activity log. */
export interface PlatformChange {
  readonly actor: string;
  /** ISO time of the change. */
  readonly at: string;
  readonly ip: string | null;
  /** The platform's event name, such as `user.update` or `user.delete`. */
  readonly event: string;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
type Json<T> = ColumnType<T, string, string>;

/** Table `drift_policies` (migration 0005). */
export interface DriftPoliciesTable {
  target_id: string;
  target_type: 'account' | 'resource';
  mode: 'report' | 'correct' | null;
  ignore_fields: ColumnType<string[], string | undefined, string>;
  scan_interval_seconds: number | null;
  updated_by: string;
  updated_at: Timestamp;
}

/** Table `drift_records` (migration 0005). bigserial comes back from pg as a string. */
export interface DriftRecordsTable {
  id: ColumnType<string, never, never>;
  resource_id: string;
  kind: string;
  account_id: string;
  root_account_id: string;
  fields: Json<FieldDrift[]>;
  action: DriftAction;
  state: DriftState;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: NullableTimestamp;
  /** Migration 0011: the activity entry of the change that caused it, when the log had one. */
  platform_change: ColumnType<PlatformChange | null, string | null | undefined, string | null>;
}

/** Table `unmanaged_objects` (migration 0005). */
export interface UnmanagedObjectsTable {
  account_id: string;
  root_account_id: string;
  kind: string;
  external_id: string;
  client_ref: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  gone_at: NullableTimestamp;
}

/** Table `drift_scans` (migration 0005): per account, the last scan and when the next is due. */
export interface DriftScansTable {
  account_id: string;
  last_started_at: NullableTimestamp;
  last_finished_at: NullableTimestamp;
  last_outcome: string | null;
  last_error: string | null;
  platform_calls: Generated<number>;
  next_scan_at: Timestamp;
  /** What the last successful scan saw, for the next to skip an unchanged account (0016). */
  clean_key: ColumnType<string | null, string | null | undefined, string | null>;
}
