import { isDeepStrictEqual } from 'node:util';
import { isIgnored } from './ignore-fields.js';
import type { FieldDrift } from '../store/tables/drift-tables.js';

/** The parts of a kind's JSON Schema that decide what a drift scan compares. */
export interface AttributeSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, AttributeSchema>>;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  readonly default?: unknown;
  readonly uniqueItems?: boolean;
  readonly 'x-telform-sensitive'?: boolean;
  readonly 'x-telform-references'?: readonly string[];
  readonly 'x-telform-desired-only'?: boolean;
}

// Stored in `drift_records.fields`, so its definition lives with that table.
export type { FieldDrift } from '../store/tables/drift-tables.js';

export interface CompareOptions {
  /** Dotted paths (or prefixes, `*` for one segment) never compared. */
  readonly ignoreFields?: readonly string[];
  /**
   * Maps a telform id held by a reference attribute to the platform id the platform reports.
   * Unknown ids compare as themselves (and so differ from any platform id).
   */
  readonly resolveReference?: (telformId: string) => string | undefined;
}

/**
 * Desired versus observed, attribute by attribute. Computed (`readOnly`) attributes and secrets
 * (`writeOnly`, `x-telform-sensitive`) are never compared, so a report can never carry a secret;
 * nor are desired-only ones (`x-telform-desired-only`), which the platform never holds.
 * An unset attribute means its schema default; without a default it means "absent" (null), as
 * a Terraform plan would read it. Attributes the schema does not know are ignored.
 */
export function compareAttributes(
  schema: AttributeSchema,
  desired: Readonly<Record<string, unknown>>,
  observed: Readonly<Record<string, unknown>>,
  options: CompareOptions = {},
): FieldDrift[] {
  const out: FieldDrift[] = [];
  walk(schema, desired, observed, '', options, out);
  return out;
}

function walk(
  schema: AttributeSchema,
  desired: Readonly<Record<string, unknown>>,
  observed: Readonly<Record<string, unknown>>,
  prefix: string,
  options: CompareOptions,
  out: FieldDrift[],
): void {
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix + name;
    if (!comparable(prop)) continue;
    if (isIgnored(path, options.ignoreFields)) continue;
    const want = desired[name] ?? prop.default ?? null;
    const have = observedValue(prop, desired[name], observed[name]);
    if (prop.properties && (isRecord(want) || isRecord(have))) {
      // Nested objects are compared field by field so the report names the leaf that moved;
      // an unset object means "every field at its default".
      if (want === null && have !== null && !hasDefaults(prop)) {
        out.push({ field: path, desired: null, actual: have });
        continue;
      }
      walk(prop, asRecord(want), asRecord(have), `${path}.`, options, out);
      continue;
    }
    const wantResolved = resolve(prop, want, options);
    if (!sameValue(prop, wantResolved, have))
      out.push({ field: path, desired: want, actual: have });
  }
}

/**
 * What the platform holds for one attribute. A value the desired state sets and the platform
 * no longer has was removed there (a role deleted in the console): it reads as null, never as
 * the default. A value the desired state leaves unset reads as the default when missing, for
 * platforms that do not echo their defaults.
 */
export function observedValue(prop: AttributeSchema, desired: unknown, observed: unknown): unknown {
  if (observed !== undefined && observed !== null) return observed;
  if (desired !== undefined && desired !== null) return null;
  return prop.default ?? null;
}

/** Whether drift looks at an attribute: never at computed, secret or desired-only ones. */
export function comparable(prop: AttributeSchema): boolean {
  return !(
    prop.readOnly ||
    prop.writeOnly ||
    prop['x-telform-sensitive'] ||
    prop['x-telform-desired-only']
  );
}

function resolve(prop: AttributeSchema, value: unknown, options: CompareOptions): unknown {
  if (!prop['x-telform-references']) return value;
  const one = (v: unknown) => (typeof v === 'string' ? (options.resolveReference?.(v) ?? v) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

export function sameValue(prop: AttributeSchema, a: unknown, b: unknown): boolean {
  if (prop.uniqueItems && Array.isArray(a) && Array.isArray(b)) {
    // A set: the platform may return its members in any order.
    return a.length === b.length && a.every((x) => b.some((y) => isDeepStrictEqual(x, y)));
  }
  return isDeepStrictEqual(a, b);
}

// An object whose every comparable field has a default can be left unset; otherwise unset
// means "no such object" and a platform value for it is drift as a whole.
export function hasDefaults(schema: AttributeSchema): boolean {
  const props = Object.values(schema.properties ?? {}).filter(comparable);
  return props.length > 0 && props.every((p) => p.default !== undefined || p.properties);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asRecord(v: unknown): Readonly<Record<string, unknown>> {
  return isRecord(v) ? v : {};
}
