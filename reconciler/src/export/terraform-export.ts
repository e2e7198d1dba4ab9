import {
  applyOrder,
  getKind,
  HclComment,
  HclExpression,
  hclBlock,
  type KindInfo,
  type SchemaNode,
} from '@telform/schemas';
import { assignNames, type NameableResource } from './resource-names.js';

/** A desired resource as the API lists it (the fields the export reads). */
export interface ExportableResource extends NameableResource {
  /** Write-only attributes that hold a value in telform (dotted paths). */
  readonly secrets_set?: readonly string[];
  readonly created_at?: string;
}

/**
 * Terraform configuration adopting `resources` as they are: per resource, a
 * `resource "telform_<kind>" "<name>"` block with its spec and an `import` block with its id
 * (Terraform 1.5+), so that the next plan shows only imports. `header` is the first line,
 * written as a comment.
 *
 * - Computed (`readOnly`) attributes are left out: Terraform refuses them in configuration.
 * - A reference (`x-telform-references`) to a resource of the export becomes
 *   `telform_<kind>.<name>.id`, so Terraform orders them; to anything else it stays the id.
 * - A secret the resource has set (`secrets_set`) cannot be read back: it is written as a
 *   commented-out line suggesting a variable. Left out, the provider sends nothing and telform
 *   keeps the stored value, so the plan is unaffected either way.
 */
export function renderTerraformExport(
  resources: readonly ExportableResource[],
  header: string,
): string {
  const order = applyOrder();
  const rank = (kind: string) => order.indexOf(kind);
  const sorted = [...resources].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      (a.created_at ?? '').localeCompare(b.created_at ?? '') ||
      a.id.localeCompare(b.id),
  );
  const names = assignNames(sorted);
  const addresses = new Map(sorted.map((r) => [r.id, `telform_${r.kind}.${names.get(r.id)}`]));
  const blocks = sorted.map((resource) => {
    const name = names.get(resource.id)!;
    const values = exportedAttributes(resource, name, addresses);
    return [
      hclBlock(['resource', `telform_${resource.kind}`, name], values),
      hclBlock(['import'], {
        to: new HclExpression(addresses.get(resource.id)!),
        id: resource.id,
      }),
    ].join('\n');
  });
  return `# ${header}\n${blocks.map((b) => `\n${b}\n`).join('')}`;
}

/**
 * The attributes to write for one resource, in schema order: what the spec holds, minus
 * computed attributes, with references resolved and placeholders for the secrets it has set.
 * `name` is the resource's Terraform name (it names the suggested variables).
 */
export function exportedAttributes(
  resource: ExportableResource,
  name: string,
  addresses: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const info = getKind(resource.kind);
  const context: Context = {
    info,
    name,
    addresses,
    secretsSet: new Set((resource.secrets_set ?? []).filter((s) => info.secrets.includes(s))),
    placed: new Set(),
  };
  const out = objectValue(info.schema, resource.spec, '', context);
  // A secret whose enclosing object is absent from the spec (or inside array items) gets its
  // line at the top level under its full path: writing the parent would change the plan.
  for (const path of context.secretsSet) {
    if (!context.placed.has(path)) out[path] = placeholder(path, context);
  }
  return out;
}

interface Context {
  readonly info: KindInfo;
  readonly name: string;
  readonly addresses: ReadonlyMap<string, string>;
  readonly secretsSet: ReadonlySet<string>;
  readonly placed: Set<string>;
}

function objectValue(
  node: SchemaNode | undefined,
  value: Readonly<Record<string, unknown>>,
  prefix: string,
  context: Context,
): Record<string, unknown> {
  const properties = node?.properties ?? {};
  // Schema order first (it is the docs' order); keys the schema does not know follow as given.
  const keys = [
    ...Object.keys(properties),
    ...Object.keys(value).filter((k) => !(k in properties)),
  ];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const path = prefix + key;
    if (context.info.computed.includes(path)) continue;
    if (context.secretsSet.has(path)) {
      out[key] = placeholder(path, context);
      context.placed.add(path);
      continue;
    }
    const v = value[key];
    if (v === undefined || v === null) continue;
    out[key] = attributeValue(properties[key], v, path, context);
  }
  return out;
}

function attributeValue(
  node: SchemaNode | undefined,
  value: unknown,
  path: string,
  context: Context,
): unknown {
  const reference = context.info.references.find((r) => r.attribute === path);
  if (reference) {
    const resolve = (item: unknown) => {
      const address = typeof item === 'string' ? context.addresses.get(item) : undefined;
      return address === undefined ? item : new HclExpression(`${address}.id`);
    };
    return Array.isArray(value) ? value.map(resolve) : resolve(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) =>
      isObject(item) ? objectValue(node?.items, item, `${path}[].`, context) : item,
    );
  }
  if (isObject(value)) return objectValue(node, value, `${path}.`, context);
  return value;
}

/** `# password = var.alice_password # <what to do>`, written in place of a secret's value. */
function placeholder(path: string, context: Context): HclComment {
  const variable = `var.${context.name}_${path.replace(/[^a-z0-9]+/gi, '_')}`;
  const version = `${path}_wo_version`;
  const send = context.info.desiredOnly.includes(version)
    ? `to send a new value, set it and bump ${version.split('.').pop()}`
    : 'it is sent with the next update';
  return new HclComment(
    `${variable} # write-only, set in telform and never readable: supply it here to manage it (${send}); left out, telform keeps the stored one`,
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
