import type { JsonSchemaAttribute } from '../protocol/cty-type.js';

/** An attribute path as tfplugin6 `AttributePath` steps. */
export type PathStep =
  | { readonly attribute_name: string }
  | { readonly element_key_string: string }
  | { readonly element_key_int: number };

export interface AttributePath {
  readonly steps: readonly PathStep[];
}

/** The attributes a path is read against: map attributes take their next segment as a key. */
type Attributes = Readonly<Record<string, JsonSchemaAttribute>>;

/**
 * Parses a dotted field path as the validator and the reconciler write it
 * (`privileges.admin`, `keys[2].value`, `labels.team`) into steps. With the block's
 * `attributes`, the segment after a map attribute is a key (`privileges["admin"]`), as
 * Terraform needs to underline the entry in the config.
 */
export function parseFieldPath(field: string, attributes?: Attributes): AttributePath {
  const steps: PathStep[] = [];
  let scope: Attributes | undefined = attributes;
  let mapKeyNext = false;
  for (const part of field.split('.').filter((p) => p !== '')) {
    if (mapKeyNext) {
      steps.push({ element_key_string: part });
      mapKeyNext = false;
      scope = undefined;
      continue;
    }
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      steps.push({ attribute_name: part });
      scope = undefined;
      continue;
    }
    const name = match[1]!;
    if (name) steps.push({ attribute_name: name });
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) {
      steps.push({ element_key_int: Number(index[1]) });
    }
    const attribute = name ? scope?.[name] : undefined;
    // Terraform locates a path inside a single nested object only as far as the attribute
    // that holds it (deeper, it underlines the whole resource): stop there; the message
    // names the full path.
    if (attribute?.nested_type?.nesting_mode === 'single' && match[2] === '') break;
    mapKeyNext = Array.isArray(attribute?.type) && attribute.type[0] === 'map';
    scope = attribute?.nested_type?.attributes;
  }
  return { steps };
}

/** The path in the dotted form used in messages. */
export function formatPath(path: AttributePath): string {
  let out = '';
  for (const step of path.steps) {
    if ('attribute_name' in step) out += out ? `.${step.attribute_name}` : step.attribute_name;
    else if ('element_key_int' in step) out += `[${step.element_key_int}]`;
    else out += `["${step.element_key_string}"]`;
  }
  return out;
}
