import type { DriftAction, DriftState, FieldDrift } from '../store/tables/drift-tables.js';

// Stored in `drift_records`, so their definitions live with that table.
export type { DriftAction, DriftState } from '../store/tables/drift-tables.js';

/** One resource whose platform values differ (or differed) from its desired values. */
export interface DriftRecordView {
  readonly id: string;
  readonly resource_id: string;
  readonly kind: string;
  /** Owning account or sub-account (telform id); the resource itself for kind `account`. */
  readonly account_id: string;
  readonly fields: readonly FieldDrift[];
  readonly action: DriftAction;
  readonly state: DriftState;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
  readonly resolved_at: string | null;
}

/** An object on the platform that no telform resource manages: listed, never touched. */
export interface UnmanagedObjectView {
  readonly account_id: string;
  readonly kind: string;
  readonly external_id: string;
  readonly client_ref: string | null;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
}

/** What `/v1/drift` and `telform drift` show, in every format. */
export interface DriftReport {
  readonly generated_at: string;
  readonly filters: Readonly<Record<string, string>>;
  readonly summary: {
    readonly open: number;
    readonly resolved: number;
    readonly unmanaged: number;
  };
  readonly records: readonly DriftRecordView[];
  readonly unmanaged: readonly UnmanagedObjectView[];
}

export type DriftReportFormat = 'json' | 'csv' | 'markdown';

export const driftReportMediaTypes: Record<DriftReportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
};

/** Whether a report shows drift that should fail a CI check. */
export function hasDrift(report: DriftReport): boolean {
  return report.summary.open > 0 || report.summary.unmanaged > 0;
}
