import type { SchemaNode } from './catalog.js';

/**
 * The "Argument Reference" / "Attribute Reference" lists of a reference page, in the layout of
 * Terraform provider docs: one line per attribute, nested objects in their own sections.
 */

/** A nested object's section, named by its dotted path; its items link here by anchor. */
export interface NestedSection {
  readonly path: string;
  readonly lines: readonly string[];
}

function typeLabel(node: SchemaNode): string {
  const scalar = (n: SchemaNode | undefined): string => {
    const t = Array.isArray(n?.type) ? n.type.find((x) => x !== 'null') : n?.type;
    if (t === 'integer' || t === 'number') return 'Number';
    if (t === 'boolean') return 'Boolean';
    if (t === 'object') return n?.properties ? 'Attributes' : 'Map of String';
    return 'String';
  };
  if (node.type === 'array') {
    return node.items?.properties ? 'List of Attributes' : `List of ${scalar(node.items)}`;
  }
  return scalar(node);
}

function code(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** The rules a value must follow, as one sentence each. */
function constraints(node: SchemaNode): string[] {
  const out: string[] = [];
  const n = node as Record<string, unknown>;
  const refs = node['x-telform-references'];
  if (refs) out.push(`The \`id\` of a ${refs.map((k) => `\`telform_${k}\``).join(' or ')}.`);
  if (node.enum) out.push(`One of ${node.enum.map(code).join(', ')}.`);
  if (n.minimum !== undefined && n.maximum !== undefined)
    out.push(`From ${n.minimum} to ${n.maximum}.`);
  else if (n.minimum !== undefined) out.push(`At least ${n.minimum}.`);
  else if (n.maximum !== undefined) out.push(`At most ${n.maximum}.`);
  if (n.minLength !== undefined && n.maxLength !== undefined) {
    out.push(`${n.minLength} to ${n.maxLength} characters.`);
  } else if (n.maxLength !== undefined) out.push(`At most ${n.maxLength} characters.`);
  else if (n.minLength !== undefined) out.push(`At least ${n.minLength} characters.`);
  if (typeof n.pattern === 'string') out.push(`Must match the pattern ${code(n.pattern)}.`);
  if (typeof n.format === 'string') out.push(`Format: ${n.format}.`);
  if (n.minItems !== undefined) out.push(`At least ${n.minItems} items.`);
  if (n.maxItems !== undefined) out.push(`At most ${n.maxItems} items.`);
  if (n.uniqueItems === true) out.push('Items must be unique.');
  if (node.default !== undefined) out.push(`Defaults to ${code(node.default)}.`);
  return out;
}

export interface AttributeLine {
  readonly name: string;
  readonly required: boolean;
  readonly readOnly: boolean;
  readonly line: string;
}

/** One line per property of `node`; nested objects add their sections to `sections`. */
export function attributeLines(
  node: SchemaNode,
  prefix: string,
  readOnlyParent: boolean,
  sections: NestedSection[],
): AttributeLine[] {
  const required = new Set(node.required ?? []);
  const lines: AttributeLine[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const readOnly = readOnlyParent || child.readOnly === true;
    const isRequired = !readOnly && required.has(name);
    const flags = [typeLabel(child), readOnly ? 'Read-only' : isRequired ? 'Required' : 'Optional'];
    if (child.writeOnly === true) flags.push('Write-only');
    if (child.writeOnly === true || child['x-telform-sensitive'] === true) flags.push('Sensitive');
    if (child['x-telform-force-new'] === true) flags.push('Forces replacement');
    if (child['x-telform-desired-only'] === true) flags.push('Desired-only');
    const path = `${prefix}${name}`;
    const nested = child.properties ? child : child.items?.properties ? child.items : undefined;
    const parts = [
      `- \`${name}\` (${flags.join(', ')})`,
      child.description ?? '',
      ...constraints(child),
    ];
    if (nested) {
      const anchor = `nested--${path.replace(/\./g, '--')}`;
      parts.push(`See [below for the nested schema](#${anchor}).`);
      const inner = attributeLines(nested, `${path}.`, readOnly, sections);
      sections.push({
        path,
        lines: [
          `<a id="${anchor}"></a>`,
          `### Nested Schema for \`${path}\``,
          '',
          ...sortLines(inner).map((l) => l.line),
        ],
      });
    }
    lines.push({ name, required: isRequired, readOnly, line: parts.filter(Boolean).join(' ') });
  }
  return lines;
}

/** Required first, then optional, then read-only; alphabetical within each. */
export function sortLines(lines: readonly AttributeLine[]): AttributeLine[] {
  const rank = (l: AttributeLine) => (l.required ? 0 : l.readOnly ? 2 : 1);
  return [...lines].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
