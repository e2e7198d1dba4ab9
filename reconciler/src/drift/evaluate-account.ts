import { compareAttributes, type AttributeSchema, type FieldDrift } from './compare.js';
import type { DriftPolicy } from './drift-policy.js';
import type { PlatformObject } from './platform-inventory.js';

/** The columns of a desired resource that a scan reads. */
export interface DesiredRow {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly root_account_id: string;
  readonly generation: number;
  readonly applied_generation: number;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly external_id: string | null;
  readonly create_pending_at: Date | null;
  readonly deletion_requested_at: Date | null;
}

export interface AccountEvaluationInput {
  /** Resources owned by the account, and the account itself when it is a root account. */
  readonly rows: readonly DesiredRow[];
  /** Platform objects per kind; a kind absent here was not listed, so its rows are skipped. */
  readonly inventory: ReadonlyMap<string, readonly PlatformObject[]>;
  readonly schemaOf: (kind: string) => AttributeSchema | undefined;
  readonly policyOf: (row: DesiredRow) => DriftPolicy;
  readonly resolveReference: (telformId: string) => string | undefined;
  /** Kinds whose unclaimed platform objects are reported (singletons always exist: not them). */
  readonly reportsUnmanaged: (kind: string) => boolean;
}

export interface ResourceFinding {
  readonly row: DesiredRow;
  readonly policy: DriftPolicy;
  /** Empty when the platform agrees with the desired values. */
  readonly fields: readonly FieldDrift[];
  /** Agrees only because the differing fields are ignored by policy. */
  readonly agreesByIgnoring: boolean;
  /** What the platform listed for it (absent: it holds no such object). */
  readonly platform?: PlatformObject;
}

export interface UnmanagedFinding {
  readonly kind: string;
  readonly externalId: string;
  readonly clientRef: string | null;
}

export interface AccountEvaluation {
  readonly compared: readonly ResourceFinding[];
  /** Rows in flight (not yet applied, being created or deleted): the engine owns them now. */
  readonly skipped: readonly DesiredRow[];
  readonly unmanaged: readonly UnmanagedFinding[];
}

/** A resource the platform no longer holds at all. */
export const missingField = '(exists)';

/**
 * Desired rows against what the platform listed, without I/O: which resources drifted and how,
 * which agree, and which platform objects nobody manages. Objects are matched by platform id,
 * else by client reference (the telform id the platform stores on create).
 */
export function evaluateAccount(input: AccountEvaluationInput): AccountEvaluation {
  const compared: ResourceFinding[] = [];
  const skipped: DesiredRow[] = [];
  const claimed = new Set<PlatformObject>();
  const indexes = new Map<
    string,
    { byExternal: Map<string, PlatformObject>; byRef: Map<string, PlatformObject> }
  >();
  for (const [kind, items] of input.inventory) {
    const byExternal = new Map<string, PlatformObject>();
    const byRef = new Map<string, PlatformObject>();
    for (const item of items) {
      byExternal.set(item.externalId, item);
      if (item.clientRef) byRef.set(item.clientRef, item);
    }
    indexes.set(kind, { byExternal, byRef });
  }

  for (const row of input.rows) {
    const index = indexes.get(row.kind);
    const found =
      index &&
      ((row.external_id && index.byExternal.get(row.external_id)) || index.byRef.get(row.id));
    if (found) claimed.add(found);
    const schema = input.schemaOf(row.kind);
    if (!index || !schema || inFlight(row)) {
      skipped.push(row);
      continue;
    }
    const policy = input.policyOf(row);
    if (!found) {
      const fields = [{ field: missingField, desired: true, actual: false }];
      compared.push({ row, policy, fields, agreesByIgnoring: false });
      continue;
    }
    const options = { ignoreFields: policy.ignoreFields, resolveReference: input.resolveReference };
    const desired =
      row.account_id === null || row.spec.account_id
        ? row.spec
        : { ...row.spec, account_id: row.account_id };
    const fields = compareAttributes(schema, desired, found.attributes, options);
    const agreesByIgnoring =
      fields.length === 0 &&
      policy.ignoreFields.length > 0 &&
      compareAttributes(schema, desired, found.attributes, {
        resolveReference: input.resolveReference,
      }).length > 0;
    compared.push({ row, policy, fields, agreesByIgnoring, platform: found });
  }

  const unmanaged: UnmanagedFinding[] = [];
  for (const [kind, items] of input.inventory) {
    if (!input.reportsUnmanaged(kind)) continue;
    for (const item of items) {
      if (claimed.has(item)) continue;
      unmanaged.push({ kind, externalId: item.externalId, clientRef: item.clientRef ?? null });
    }
  }
  return { compared, skipped, unmanaged };
}

function inFlight(row: DesiredRow): boolean {
  return (
    row.deletion_requested_at !== null ||
    row.create_pending_at !== null ||
    row.external_id === null ||
    row.applied_generation < row.generation
  );
}
