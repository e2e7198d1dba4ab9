import type { SchemaNode } from './catalog.js';

/**
 * The "## Schema" section of a page, in tfplugindocs' layout: Required, Optional and Read-Only
 * attributes, then one "Nested Schema" section per nested object. It reads the Terraform schema
 * (what `terraform providers schema -json` prints), so every type the provider serves renders
 * the same way; a kind's JSON Schema, when there is one, adds the rules a value must follow.
 */

/** A Terraform attribute as `terraform providers schema -json` prints it. */
export interface DocAttribute {
  readonly type?: unknown;
  readonly nested_type?: {
    readonly attributes: Readonly<Record<string, DocAttribute>>;
    readonly nesting_mode: string;
  };
  readonly description?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly write_only?: boolean;
  readonly deprecated?: boolean;
}

export interface DocSchema {
  readonly block: {
    readonly attributes?: Readonly<Record<string, DocAttribute>>;
    readonly description?: string;
  };
}

const writeOnlyLink =
  'https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments';

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function ctyLabel(type: unknown): string {
  if (type === 'bool') return 'Boolean';
  if (typeof type === 'string') return capital(type);
  if (Array.isArray(type)) {
    const [what, inner] = type as [string, unknown];
    if (what === 'object') return 'Object';
    if (what === 'tuple') return 'Tuple';
    return `${capital(what)} of ${ctyLabel(inner)}`;
  }
  return 'Dynamic';
}

function typeLabel(attribute: DocAttribute): string {
  const mode = attribute.nested_type?.nesting_mode;
  if (mode) return mode === 'single' ? 'Attributes' : `Attributes ${capital(mode)}`;
  return ctyLabel(attribute.type);
}

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** The rules a value must follow, from the kind's JSON Schema, as one sentence each. */
function constraints(node: SchemaNode | undefined): string[] {
  if (!node) return [];
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

/** The JSON Schema node of an attribute's child, looking through arrays of objects. */
function childNode(node: SchemaNode | undefined, name: string): SchemaNode | undefined {
  const parent = node?.properties ? node : node?.items;
  return parent?.properties?.[name];
}

type Group = 'Required' | 'Optional' | 'Read-Only';

const groupOf = (a: DocAttribute): Group =>
  a.required ? 'Required' : a.optional ? 'Optional' : 'Read-Only';

interface Nested {
  readonly path: string;
  readonly attributes: Readonly<Record<string, DocAttribute>>;
  readonly json: SchemaNode | undefined;
}

/** A closed set (`x-telform-closed-set`) is a map for Terraform; its keys come from the kind. */
function closedSetKeys(json: SchemaNode, computed: boolean): Record<string, DocAttribute> {
  const out: Record<string, DocAttribute> = {};
  for (const [key, node] of Object.entries(json.properties ?? {})) {
    const type = node.type === 'boolean' ? 'bool' : node.type === 'string' ? 'string' : 'number';
    out[key] = { type, description: node.description, optional: !computed, computed };
  }
  return out;
}

function attributeLine(
  name: string,
  attribute: DocAttribute,
  path: string,
  json: SchemaNode | undefined,
  nested: Nested[],
): string {
  const flags = [typeLabel(attribute)];
  if (attribute.sensitive) flags.push('Sensitive');
  if (attribute.write_only) flags.push(`[Write-only](${writeOnlyLink})`);
  if (attribute.deprecated) flags.push('Deprecated');
  if (json?.['x-telform-force-new'] === true) flags.push('Forces replacement');
  if (json?.['x-telform-desired-only'] === true) flags.push('Desired-only');
  const parts = [`- \`${name}\` (${flags.join(', ')})`, attribute.description ?? ''];
  parts.push(...constraints(json));
  const anchor = `nestedatt--${path.replace(/\./g, '--')}`;
  if (attribute.nested_type) {
    nested.push({ path, attributes: attribute.nested_type.attributes, json });
    parts.push(`(see [below for nested schema](#${anchor}))`);
  } else if (json?.['x-telform-closed-set'] === true && json.properties) {
    const keys = closedSetKeys(json, groupOf(attribute) === 'Read-Only');
    nested.push({ path, attributes: keys, json });
    parts.push(`(see [below for the keys](#${anchor}))`);
  }
  return parts.filter(Boolean).join(' ');
}

/** The attributes of one level, grouped; nested objects queue their sections in `nested`. */
function groups(
  attributes: Readonly<Record<string, DocAttribute>>,
  prefix: string,
  json: SchemaNode | undefined,
  nested: Nested[],
): Map<Group, string[]> {
  const out = new Map<Group, string[]>();
  for (const group of ['Required', 'Optional', 'Read-Only'] as const) {
    const names = Object.keys(attributes)
      .filter((n) => groupOf(attributes[n]!) === group)
      .sort();
    if (names.length === 0) continue;
    out.set(
      group,
      names.map((n) =>
        attributeLine(n, attributes[n]!, `${prefix}${n}`, childNode(json, n), nested),
      ),
    );
  }
  return out;
}

/** `## Schema` of a block: what tfplugindocs writes, with the kind's rules added. */
export function schemaSection(schema: DocSchema, json: SchemaNode | undefined): string[] {
  const attributes = schema.block.attributes ?? {};
  const nested: Nested[] = [];
  const out = ['## Schema'];
  const writeOnly = JSON.stringify(attributes).includes('"write_only":true');
  if (writeOnly) {
    out.push(
      '',
      `> **NOTE:** [Write-only arguments](${writeOnlyLink}) are supported in Terraform 1.11 and later.`,
      '> Their values never enter the plan or the state; telform stores them encrypted and never returns them.',
    );
  }
  for (const [group, lines] of groups(attributes, '', json, nested)) {
    out.push('', `### ${group}`, '', ...lines);
  }
  // Breadth first, in the order the attributes appear, as tfplugindocs orders them.
  for (let i = 0; i < nested.length; i++) {
    const section = nested[i]!;
    out.push(
      '',
      `<a id="nestedatt--${section.path.replace(/\./g, '--')}"></a>`,
      `### Nested Schema for \`${section.path}\``,
    );
    for (const [group, lines] of groups(
      section.attributes,
      `${section.path}.`,
      section.json,
      nested,
    )) {
      out.push('', `${group}:`, '', ...lines);
    }
  }
  return out;
}
