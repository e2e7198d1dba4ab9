import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

/** admin: everything; operator: desired state and runs; auditor: read drift, audit and status. */
export type Role = 'admin' | 'operator' | 'auditor';

/** Table `api_tokens` (migration 0002). */
export interface ApiTokensTable {
  id: string;
  name: string;
  role: Role;
  scope_account_id: string | null;
  token_hash: string;
  token_prefix: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

/** Table `api_token_epoch` (migration 0010): one row, bumped whenever a token's grant changes. */
export interface ApiTokenEpochTable {
  id: number;
  /** bigint comes back from pg as a string. */
  epoch: ColumnType<string, never, string>;
}
