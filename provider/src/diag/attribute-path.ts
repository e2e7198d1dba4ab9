/** An attribute path as tfplugin6 `AttributePath` steps. */
export type PathStep =
  | { readonly attribute_name: string }
  | { readonly element_key_string: string }
  | { readonly element_key_int: number };

export interface AttributePath {
  readonly steps: readonly PathStep[];
}

/**
 * Parses a dotted field path as the validator and the reconciler write it
 * (`privileges.admin`, `keys[2].value`, `labels.team`) into steps.
 */
export function parseFieldPath(field: string): AttributePath {
  const steps: PathStep[] = [];
  for (const part of field.split('.').filter((p) => p !== '')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      steps.push({ attribute_name: part });
      continue;
    }
    if (match[1]) steps.push({ attribute_name: match[1] });
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) {
      steps.push({ element_key_int: Number(index[1]) });
    }
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
