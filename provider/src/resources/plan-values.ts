/**
 * The planned state of a managed resource, computed from Terraform's proposed new state:
 * - a computed attribute left unset in the config is planned as its schema `default` when it has
 *   one, as unknown on create (`id`!), and as the prior value on update (no diff when nothing
 *   changed);
 * - a write-only attribute is planned null (Terraform refuses it in plans and state);
 * - on an update that changes anything, computed-only attributes but `id` are planned unknown
 *   ({@link unknownComputed}): the platform may regenerate them (a rotated token, its URL).
 */
import type { SchemaNode } from '@telform/schemas';
import type { JsonSchemaAttribute } from '../protocol/cty-type.js';
import { isUnknown, unknownValue } from '../protocol/unknown-value.js';

type Attributes = Readonly<Record<string, JsonSchemaAttribute>>;
type ObjectValue = Record<string, unknown>;

export interface PlanContext {
  readonly create: boolean;
  /** Terraform accepts write-only attributes (ClientCapabilities.write_only_attributes_allowed). */
  readonly writeOnly: boolean;
}

const asObject = (value: unknown): ObjectValue | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !isUnknown(value)
    ? (value as ObjectValue)
    : null;

export function planObject(
  attributes: Attributes,
  node: SchemaNode | undefined,
  proposed: ObjectValue,
  config: ObjectValue | null,
  context: PlanContext,
): ObjectValue {
  const out: ObjectValue = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    out[name] = planAttribute(
      attribute,
      node?.properties?.[name],
      proposed[name] ?? null,
      config?.[name] ?? null,
      context,
    );
  }
  return out;
}

function planAttribute(
  attribute: JsonSchemaAttribute,
  node: SchemaNode | undefined,
  proposed: unknown,
  config: unknown,
  context: PlanContext,
): unknown {
  if (attribute.write_only && context.writeOnly) return null;
  const nested = attribute.nested_type;
  if (nested && proposed !== null && !isUnknown(proposed)) {
    if (nested.nesting_mode === 'single') {
      return planObject(
        nested.attributes,
        node,
        proposed as ObjectValue,
        asObject(config),
        context,
      );
    }
    if (Array.isArray(proposed)) {
      const configItems = Array.isArray(config) ? config : [];
      return proposed.map((item, i) =>
        isUnknown(item)
          ? item
          : planObject(
              nested.attributes,
              node?.items,
              item as ObjectValue,
              asObject(configItems[i]),
              context,
            ),
      );
    }
    return proposed;
  }
  if (attribute.computed && config === null) {
    if (node?.default !== undefined) return node.default;
    if (context.create) return unknownValue;
    return proposed;
  }
  return proposed;
}

/** Whether two known-or-unknown values are equal (unknown equals nothing). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!sameValue((a as ObjectValue)[key] ?? null, (b as ObjectValue)[key] ?? null)) return false;
  }
  return true;
}

/** Dotted attribute paths (`account_id`, `sso.entity_id`) whose change forces replacement. */
export function replacedPaths(
  forceNew: readonly string[],
  prior: ObjectValue,
  planned: ObjectValue,
): string[] {
  return forceNew
    .filter((path) => !path.includes('[]'))
    .filter((path) => {
      const before = valueAt(prior, path);
      const after = valueAt(planned, path);
      return !sameValue(before, after);
    });
}

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (isUnknown(current)) return current;
    current = asObject(current)?.[part] ?? null;
  }
  return current;
}

/**
 * `planned` with every computed-only attribute (not settable, not `id`) unknown, at the top
 * level and in single nested objects, when a settable attribute differs from `prior`: after the
 * update the state takes them from the platform, so a regenerated value (a rotated provisioning
 * token and URL) is in state and outputs at once. Unchanged plans are returned as they are.
 */
export function unknownComputed(
  attributes: Attributes,
  prior: ObjectValue,
  planned: ObjectValue,
): ObjectValue {
  if (!settableDiffers(attributes, prior, planned)) return planned;
  return markComputed(attributes, planned);
}

const computedOnly = (a: JsonSchemaAttribute) => a.computed && !a.optional && !a.required;

function settableDiffers(
  attributes: Attributes,
  prior: ObjectValue,
  planned: ObjectValue,
): boolean {
  return Object.entries(attributes).some(([name, attribute]) => {
    if (computedOnly(attribute)) return false;
    const nested = attribute.nested_type;
    const before = prior[name] ?? null;
    const after = planned[name] ?? null;
    if (nested?.nesting_mode === 'single' && asObject(before) && asObject(after))
      return settableDiffers(nested.attributes, asObject(before)!, asObject(after)!);
    return !sameValue(before, after);
  });
}

function markComputed(attributes: Attributes, planned: ObjectValue): ObjectValue {
  const out: ObjectValue = { ...planned };
  for (const [name, attribute] of Object.entries(attributes)) {
    const nested = attribute.nested_type;
    if (computedOnly(attribute) && name !== 'id') out[name] = unknownValue;
    else if (nested?.nesting_mode === 'single' && asObject(planned[name]))
      out[name] = markComputed(nested.attributes, asObject(planned[name])!);
  }
  return out;
}
