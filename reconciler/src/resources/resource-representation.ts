import type { Selectable } from 'kysely';
import { getKind } from '@telform/schemas';
import type { Condition, ResourcesTable } from '../store/database.js';
import { maskObserved } from '../store/observed-secrets.js';

export type ResourceRow = Selectable<ResourcesTable>;

/**
 * The columns a representation is made of (and a read's scope check and platform view need):
 * reads select these, not the work-queue columns (claims, attempts, errors, digests).
 */
export const representedColumns = [
  'id',
  'kind',
  'account_id',
  'root_account_id',
  'generation',
  'spec',
  'secrets',
  'external_id',
  'applied_generation',
  'observed',
  'conditions',
  'last_reconciled_at',
  'deletion_requested_at',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof ResourceRow>;

/** A row as reads select it (see {@link representedColumns}). */
export type RepresentedRow = Pick<ResourceRow, (typeof representedColumns)[number]>;

/** A resource as the API shows it (docs/architecture.md section 2); secrets never included. */
export interface ResourceRepresentation {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly generation: number;
  readonly spec: Record<string, unknown>;
  /** Write-only attributes that hold a value. */
  readonly secrets_set: string[];
  readonly status: {
    readonly applied_generation: number;
    readonly external_id: string | null;
    readonly observed: Record<string, unknown> | null;
    /**
     * The spec as the platform holds it (drift/platform-spec.ts): what Terraform refreshes to.
     * Shown on reads; null in the answers of writes and before the first observation.
     */
    readonly platform_spec: Record<string, unknown> | null;
    readonly conditions: Condition[];
    readonly last_reconciled_at: string | null;
  };
  readonly deletion_requested_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/**
 * How a representation shows the stored observed document, whose platform-generated secrets
 * are sealed: {@link maskedObserved} (the default) omits them; the store opens them for callers
 * that may read desired state.
 */
export type ObservedView = (row: RepresentedRow) => Record<string, unknown> | null;

/** The observed document with its platform-generated secrets omitted. */
export const maskedObserved: ObservedView = (row) =>
  row.observed === null ? null : maskObserved(getKind(row.kind).generatedSecrets, row.observed);

/**
 * Maps a row to its representation; `secrets` contributes only its attribute names, `observed`
 * what `observedView` shows, `platform_spec` what the caller computed for it.
 */
export function toRepresentation(
  row: RepresentedRow,
  observedView: ObservedView = maskedObserved,
  platformSpec: Record<string, unknown> | null = null,
): ResourceRepresentation {
  return {
    id: row.id,
    kind: row.kind,
    account_id: row.account_id,
    generation: row.generation,
    spec: row.spec,
    secrets_set: Object.keys(row.secrets ?? {}).sort(),
    status: {
      applied_generation: row.applied_generation,
      external_id: row.external_id,
      observed: observedView(row),
      platform_spec: platformSpec,
      conditions: row.conditions,
      last_reconciled_at: iso(row.last_reconciled_at),
    },
    deletion_requested_at: iso(row.deletion_requested_at),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}
