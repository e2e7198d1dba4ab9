import type { AttributeSchema } from './compare.js';

/**
 * One comparable attribute of a kind, with everything the compare asks of its schema worked out
 * once: a scan compares 100,000 rows against a handful of schemas, so the per-row walk should
 * only read values.
 */
export interface PlannedField {
  readonly name: string;
  /** Dotted path from the kind's root (`privileges.admin`), as reports and ignore rules name it. */
  readonly path: string;
  readonly segments: readonly string[];
  readonly prop: AttributeSchema;
  /** What an unset value means: the schema default, else null. */
  readonly fallback: unknown;
  readonly references: boolean;
  /** Set for nested objects: their own fields, compared leaf by leaf. */
  readonly nested?: ComparePlan;
}

export interface ComparePlan {
  readonly fields: readonly PlannedField[];
  /** Every comparable field has a default, so the object may be left unset (see hasDefaults). */
  readonly hasDefaults: boolean;
}

const plans = new WeakMap<AttributeSchema, ComparePlan>();

/** The plan of a kind's root schema, built on first use and kept as long as the schema is. */
export function comparePlanOf(schema: AttributeSchema): ComparePlan {
  let plan = plans.get(schema);
  if (!plan) {
    plan = build(schema, '');
    plans.set(schema, plan);
  }
  return plan;
}

function build(schema: AttributeSchema, prefix: string): ComparePlan {
  const fields: PlannedField[] = [];
  let all = true;
  let any = false;
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (!comparable(prop)) continue;
    any = true;
    if (prop.default === undefined && !prop.properties) all = false;
    const path = prefix + name;
    fields.push({
      name,
      path,
      segments: path.split('.'),
      prop,
      fallback: prop.default ?? null,
      references: prop['x-telform-references'] !== undefined,
      ...(prop.properties ? { nested: build(prop, `${path}.`) } : {}),
    });
  }
  return { fields, hasDefaults: any && all };
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

/** Ignore patterns split once per compare, not once per field. */
export function splitPatterns(patterns: readonly string[] | undefined): readonly string[][] {
  return (patterns ?? []).map((p) => p.split('.'));
}

/** The same rule as isIgnored (ignore-fields.ts), on pre-split segments. */
export function coveredBy(patterns: readonly string[][], segments: readonly string[]): boolean {
  for (const pattern of patterns) {
    if (pattern.length > segments.length) continue;
    let all = true;
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i] !== '*' && pattern[i] !== segments[i]) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
