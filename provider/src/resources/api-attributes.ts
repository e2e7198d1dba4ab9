/**
 * Conversions between Terraform values and the reconciler API's attributes: what to send on
 * create and update, what to validate, and the state to keep from an API resource.
 */
import type { SchemaNode } from '@telform/schemas';
import type { ApiResource } from '../client/api-resource.js';
import type { JsonSchemaAttribute } from '../protocol/cty-type.js';
import { isUnknown } from '../protocol/unknown-value.js';

type Attributes = Readonly<Record<string, JsonSchemaAttribute>>;
type ObjectValue = Record<string, unknown>;

const isPlainObject = (value: unknown): value is ObjectValue =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Computed-only attributes (set by the platform or the daemon) are never sent. */
const userSettable = (attribute: JsonSchemaAttribute) => attribute.required || attribute.optional;

/**
 * The attributes to send to the API: the planned values, except write-only ones, which exist
 * only in the config. Nulls are left out (the API treats a missing attribute as unset, and a
 * missing secret as "keep the stored one").
 */
export function apiAttributes(
  attributes: Attributes,
  planned: ObjectValue,
  config: ObjectValue | null,
): ObjectValue {
  const out: ObjectValue = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!userSettable(attribute)) continue;
    const value = attribute.write_only ? (config?.[name] ?? null) : (planned[name] ?? null);
    if (value === null || isUnknown(value)) continue;
    const nested = attribute.nested_type;
    const configValue = config?.[name] ?? null;
    if (nested?.nesting_mode === 'single' && isPlainObject(value)) {
      out[name] = apiAttributes(
        nested.attributes,
        value,
        isPlainObject(configValue) ? configValue : null,
      );
    } else if (nested && Array.isArray(value)) {
      const configItems = Array.isArray(configValue) ? configValue : [];
      out[name] = value.map((item, i) =>
        apiAttributes(
          nested.attributes,
          item as ObjectValue,
          isPlainObject(configItems[i]) ? configItems[i] : null,
        ),
      );
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * The config as the validator sees it: nulls and computed-only attributes dropped, unknown
 * values dropped and their paths returned, so that errors about them can be ignored.
 */
export function validationInput(
  attributes: Attributes,
  config: ObjectValue,
  prefix = '',
  unknownPaths: string[] = [],
): { value: ObjectValue; unknownPaths: string[] } {
  const out: ObjectValue = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!userSettable(attribute)) continue;
    const value = config[name] ?? null;
    const path = prefix + name;
    if (isUnknown(value)) {
      unknownPaths.push(path);
      continue;
    }
    if (value === null) continue;
    const nested = attribute.nested_type;
    if (nested?.nesting_mode === 'single' && isPlainObject(value)) {
      out[name] = validationInput(nested.attributes, value, `${path}.`, unknownPaths).value;
    } else if (nested && Array.isArray(value)) {
      out[name] = value.map((item, i) =>
        isUnknown(item)
          ? (unknownPaths.push(`${path}[${i}]`), null)
          : validationInput(nested.attributes, item as ObjectValue, `${path}[${i}].`, unknownPaths)
              .value,
      );
    } else if (Array.isArray(value) && value.some(isUnknown)) {
      unknownPaths.push(path);
    } else if (attribute.type?.[0] === 'map' && isPlainObject(value)) {
      // A map entry not known yet is validated later, like any unknown value.
      const known = Object.entries(value).filter(([key, v]) => {
        if (isUnknown(v)) unknownPaths.push(`${path}.${key}`);
        return !isUnknown(v);
      });
      out[name] = Object.fromEntries(known);
    } else {
      out[name] = value;
    }
  }
  return { value: out, unknownPaths };
}

/** Whether a validation error's field lies at or under one of the unknown paths. */
export function concernsUnknown(field: string, unknownPaths: readonly string[]): boolean {
  return unknownPaths.some(
    (p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`),
  );
}

/**
 * A resource's state from its API representation: the spec as the platform holds it
 * (`status.platform_spec`: platform values where they differ, so a plan shows drift; the spec
 * itself when the platform was never observed), completed by the observed values for what it
 * does not say (computed attributes, platform defaults), the schema defaults, and the telform
 * id. Secrets never come back from the API: write-only ones stay null, the others keep their
 * prior value.
 */
export function stateFromResource(
  attributes: Attributes,
  node: SchemaNode | undefined,
  resource: ApiResource,
  prior: ObjectValue | null,
  writeOnly: boolean,
): ObjectValue {
  const held = resource.status.platform_spec;
  const merged = held
    ? (overlay(resource.status.observed ?? {}, held) as ObjectValue)
    : (mergeDeep(resource.status.observed ?? {}, resource.spec) as ObjectValue);
  const state = complete(
    attributes,
    node,
    trimClosedSets(node, merged, held ?? resource.spec),
    prior,
    writeOnly,
  );
  if ('id' in attributes) state.id = resource.id;
  return state;
}

function complete(
  attributes: Attributes,
  node: SchemaNode | undefined,
  value: ObjectValue,
  prior: ObjectValue | null,
  writeOnly: boolean,
): ObjectValue {
  const out: ObjectValue = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const child = node?.properties?.[name];
    let v = value[name] ?? null;
    if (child?.writeOnly) v = attribute.write_only && writeOnly ? null : (prior?.[name] ?? null);
    // Unset means the default; an explicit null is a value the platform no longer holds.
    else if (value[name] === undefined && attribute.computed && child?.default !== undefined)
      v = child.default;
    const nested = attribute.nested_type;
    const priorChild = prior?.[name];
    if (nested?.nesting_mode === 'single' && isPlainObject(v)) {
      v = complete(
        nested.attributes,
        child,
        v,
        isPlainObject(priorChild) ? priorChild : null,
        writeOnly,
      );
    } else if (nested && Array.isArray(v)) {
      const priorItems = Array.isArray(priorChild) ? priorChild : [];
      v = v.map((item, i) =>
        complete(
          nested.attributes,
          child?.items,
          item as ObjectValue,
          isPlainObject(priorItems[i]) ? priorItems[i] : null,
          writeOnly,
        ),
      );
    }
    out[name] = v;
  }
  return out;
}

/**
 * A closed set (a `map` for Terraform) keeps the keys the spec names, plus those the platform
 * holds at a value other than the default: an out-of-band grant shows in a plan, while the
 * platform's defaults for keys never configured stay out of the state. An empty set the spec
 * does not name is null, as in the config.
 */
function trimClosedSets(
  node: SchemaNode | undefined,
  value: ObjectValue,
  spec: ObjectValue | null | undefined,
): ObjectValue {
  const out: ObjectValue = { ...value };
  for (const [name, child] of Object.entries(node?.properties ?? {})) {
    const v = out[name];
    const asked = isPlainObject(spec?.[name]) ? (spec[name] as ObjectValue) : null;
    if (!isPlainObject(v)) continue;
    if (child['x-telform-closed-set'] !== true) {
      if (child.properties) out[name] = trimClosedSets(child, v, asked);
      continue;
    }
    const kept = Object.entries(v).filter(
      ([key, entry]) =>
        (asked !== null && key in asked) || entry !== child.properties?.[key]?.default,
    );
    out[name] = kept.length === 0 && asked === null ? null : Object.fromEntries(kept);
  }
  return out;
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (over === undefined || over === null) return base ?? null;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: ObjectValue = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = mergeDeep(base[k], v);
    return out;
  }
  return over;
}

// Like mergeDeep, but a null in `over` wins: the platform_spec says null for a removed value.
function overlay(base: unknown, over: unknown): unknown {
  if (over === undefined) return base ?? null;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: ObjectValue = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = overlay(base[k], v);
    return out;
  }
  return over;
}

/** The new state after apply: every value known in the plan as planned, unknowns from the API. */
export function resolveUnknowns(planned: unknown, actual: unknown): unknown {
  if (isUnknown(planned)) return actual ?? null;
  if (Array.isArray(planned)) {
    const items = Array.isArray(actual) ? actual : [];
    return planned.map((item, i) => resolveUnknowns(item, items[i]));
  }
  if (isPlainObject(planned)) {
    const source = isPlainObject(actual) ? actual : {};
    const out: ObjectValue = {};
    for (const [k, v] of Object.entries(planned)) out[k] = resolveUnknowns(v, source[k]);
    return out;
  }
  return planned;
}
