import type { ColumnType } from 'kysely';

/** Table `audit_events` (migration 0004). bigint comes back from pg as a string. */
export interface AuditEventsTable {
  seq: ColumnType<string, string | number, never>;
  time: ColumnType<Date, Date | string, never>;
  event: string;
  access: 'read' | 'write';
  resource: string | null;
  account_id: string | null;
  actor: string;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  request_id: string | null;
  change: string | null;
  prev_hash: string;
  hash: string;
}

/** Table `audit_chain_head` (migration 0004): the one row every append locks. */
export interface AuditChainHeadTable {
  id: number;
  seq: ColumnType<string, string | number, string | number>;
  hash: string;
  /** The hash `hash` replaced (migration 0015), set by the single-statement append. */
  prev_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * Table `audit_chain_checkpoint` (migration 0008): the last pruned event, where verification
 * starts. seq 0 and the genesis hash until the first prune.
 */
export interface AuditChainCheckpointTable {
  id: number;
  seq: ColumnType<string, string | number, string | number>;
  hash: string;
  pruned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
