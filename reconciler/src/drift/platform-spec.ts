import {
  asRecord,
  comparable,
  hasDefaults,
  isRecord,
  observedValue,
  sameValue,
  type AttributeSchema,
} from './compare.js';
import { isIgnored } from './ignore-fields.js';

export interface PlatformSpecOptions {
  /** The drift policy's ignored fields: they keep the desired value (never shown as changed). */
  readonly ignoreFields?: readonly string[];
  /** telform id to the platform id the platform reports (desired references, for comparing). */
  readonly toPlatformId?: (telformId: string) => string | undefined;
  /** Platform id of an object of one of `kinds` to its telform id (observed references). */
  readonly toTelformId?: (platformId: string, kinds: readonly string[]) => string | undefined;
}

type Json = Record<string, unknown>;

export interface PlatformSpec {
  readonly spec: Json;
  /** Some attribute the policy does not ignore differs: a re-apply would change the platform. */
  readonly drifted: boolean;
}

/**
 * The spec as the platform holds it, in the spec's own terms: what `terraform plan` compares the
 * configuration with. Attribute by attribute, with the same rules as a drift scan
 * (drift/compare.ts): where the platform agrees with the spec, the spec's own value is kept (so
 * a set in another order or a default left unset shows no change); where it differs, the
 * platform's value, references turned back into telform ids, and null for a value removed there.
 * Computed, secret and desired-only attributes, and fields the drift policy ignores, keep the
 * spec's value; an ignored field the spec leaves unset reads as its default (or null), never as
 * the platform's, so it never shows in a plan. Attributes the schema does not know are kept.
 */
export function platformSpec(
  schema: AttributeSchema,
  spec: Readonly<Json>,
  observed: Readonly<Json>,
  options: PlatformSpecOptions = {},
): PlatformSpec {
  const { value, drifted } = walk(schema, spec, observed, '', options);
  return { spec: value, drifted };
}

// A schema's comparable attributes in order, listed once per schema object: every GET of a
// resource walks its kind's schema (the catalogue's schemas never change).
const comparables = new WeakMap<AttributeSchema, ReadonlyArray<[string, AttributeSchema]>>();

function comparableAttributes(schema: AttributeSchema): ReadonlyArray<[string, AttributeSchema]> {
  let entries = comparables.get(schema);
  if (!entries) {
    entries = Object.entries(schema.properties ?? {}).filter(([, prop]) => comparable(prop));
    comparables.set(schema, entries);
  }
  return entries;
}

function walk(
  schema: AttributeSchema,
  spec: Readonly<Json>,
  observed: Readonly<Json>,
  prefix: string,
  options: PlatformSpecOptions,
): { value: Json; drifted: boolean } {
  const out: Json = { ...spec };
  let drifted = false;
  for (const [name, prop] of comparableAttributes(schema)) {
    const path = prefix + name;
    if (isIgnored(path, options.ignoreFields)) {
      if (spec[name] === undefined) out[name] = prop.default ?? null;
      continue;
    }
    const want = spec[name] ?? prop.default ?? null;
    const have = observedValue(prop, spec[name], observed[name]);
    if (prop.properties && (isRecord(want) || isRecord(have))) {
      if (spec[name] == null && have !== null && !hasDefaults(prop)) {
        out[name] = have;
        drifted = true;
        continue;
      }
      const nested = walk(prop, asRecord(spec[name]), asRecord(have), `${path}.`, options);
      // An unset object that the platform holds at its defaults stays unset.
      if (spec[name] == null && !nested.drifted) continue;
      out[name] = nested.value;
      drifted ||= nested.drifted;
      continue;
    }
    if (sameValue(prop, toPlatform(prop, want, options), have)) continue;
    out[name] = toTelform(prop, have, options);
    drifted = true;
  }
  return { value: out, drifted };
}

function toPlatform(prop: AttributeSchema, value: unknown, options: PlatformSpecOptions): unknown {
  if (!prop['x-telform-references'] || !options.toPlatformId) return value;
  const one = (v: unknown) => (typeof v === 'string' ? (options.toPlatformId!(v) ?? v) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

// A platform id with no telform resource behind it stays as the platform says: the plan then
// shows an id Terraform cannot match, which is the truth.
function toTelform(prop: AttributeSchema, value: unknown, options: PlatformSpecOptions): unknown {
  const kinds = prop['x-telform-references'];
  if (!kinds || !options.toTelformId) return value;
  const one = (v: unknown) => (typeof v === 'string' ? (options.toTelformId!(v, kinds) ?? v) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}
