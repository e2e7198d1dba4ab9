import type { KindInfo, SchemaNode } from './catalog.js';
import { generatedNotice, type GeneratedFile } from './generate-notice.js';
import { providerBlock } from './generate-provider-block.js';

/**
 * The provider schema in the format of `terraform providers schema -json`, which the provider
 * serves from GetProviderSchema and @cdktf/provider-generator reads. Nested objects are nested
 * attributes (`nested_type`, protocol 6), which provider-generator 0.21 turns into typed
 * structs, so no `block_types` are needed.
 */

export const providerSchemaPath = 'schemas/generated/provider-schema.json';
export const providerSource = 'telform/telform';
export const providerAddress = `registry.terraform.io/${providerSource}`;

export type TerraformType = 'string' | 'number' | 'bool' | readonly [string, TerraformType];

export interface TerraformAttribute {
  type?: TerraformType;
  nested_type?: { attributes: Record<string, TerraformAttribute>; nesting_mode: 'single' | 'list' };
  description?: string;
  description_kind: 'markdown';
  required?: true;
  optional?: true;
  computed?: true;
  sensitive?: true;
  write_only?: true;
}

export interface TerraformSchema {
  version: 0;
  block: {
    attributes: Record<string, TerraformAttribute>;
    description?: string;
    description_kind: 'markdown';
  };
}

export interface ProviderSchemaDocument {
  '//': string;
  format_version: '1.0';
  provider_schemas: Record<
    string,
    {
      provider: TerraformSchema;
      resource_schemas: Record<string, TerraformSchema>;
      data_source_schemas: Record<string, TerraformSchema>;
    }
  >;
}

/** How the user may set an attribute, before nested rules apply. */
type Mode = 'required' | 'optional' | 'optional_computed' | 'computed';

function scalarType(node: SchemaNode, path: string): TerraformType {
  const type = Array.isArray(node.type) ? node.type.filter((t) => t !== 'null') : [node.type];
  if (type.length !== 1) throw new Error(`${path}: exactly one non-null "type" is required`);
  switch (type[0]) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      throw new Error(`${path}: type ${JSON.stringify(type[0])} has no Terraform scalar type`);
  }
}

function isObject(node: SchemaNode): boolean {
  return node.type === 'object' && node.properties !== undefined;
}

/**
 * A `default` stays optional+computed: unset, the provider plans the platform's default, so a
 * change made on the platform (a user made admin) shows as drift and is put back. The flag itself
 * costs Terraform nothing measurable per resource; each attribute does, whatever its flags
 * (bench/provider.bench.ts, header).
 */
function modeOf(node: SchemaNode, required: boolean, parent: Mode): Mode {
  if (parent === 'computed' || node.readOnly === true) return 'computed';
  if (required) return 'required';
  return node.default !== undefined ? 'optional_computed' : 'optional';
}

function typeOf(node: SchemaNode, path: string, mode: Mode): Partial<TerraformAttribute> {
  // A closed set is a map for Terraform: an object type would drop a misspelt key unseen.
  if (node['x-telform-closed-set'] === true) {
    const types = new Set(Object.values(node.properties ?? {}).map((p) => scalarType(p, path)));
    if (types.size !== 1) throw new Error(`${path}: a closed set needs values of one type`);
    return { type: ['map', [...types][0]!] };
  }
  if (isObject(node)) {
    return { nested_type: { attributes: attributes(node, path, mode), nesting_mode: 'single' } };
  }
  if (node.type === 'array' && node.items && isObject(node.items)) {
    return {
      nested_type: { attributes: attributes(node.items, `${path}[]`, mode), nesting_mode: 'list' },
    };
  }
  if (node.type === 'array') {
    if (!node.items) throw new Error(`${path}: an array needs "items"`);
    return { type: ['list', scalarType(node.items, `${path}[]`)] };
  }
  if (node.type === 'object') {
    const values = node.additionalProperties;
    if (!values || typeof values !== 'object') {
      throw new Error(`${path}: an object needs "properties" or an "additionalProperties" schema`);
    }
    return { type: ['map', scalarType(values as SchemaNode, `${path}{}`)] };
  }
  return { type: scalarType(node, path) };
}

function attribute(node: SchemaNode, path: string, mode: Mode): TerraformAttribute {
  // Key order follows Terraform's own output: type, description, then flags.
  const out: TerraformAttribute = {
    ...typeOf(node, path, mode),
    ...(node.description ? { description: node.description } : {}),
    description_kind: 'markdown',
  };
  if (mode === 'required') out.required = true;
  if (mode === 'optional' || mode === 'optional_computed') out.optional = true;
  if (mode === 'computed' || mode === 'optional_computed') out.computed = true;
  if (node.writeOnly === true || node['x-telform-sensitive'] === true) out.sensitive = true;
  // Terraform refuses write_only on computed attributes (and so in data sources).
  if (node.writeOnly === true && mode !== 'computed') out.write_only = true;
  return out;
}

function attributes(
  node: SchemaNode,
  path: string,
  parent: Mode,
): Record<string, TerraformAttribute> {
  const required = new Set(node.required ?? []);
  const out: Record<string, TerraformAttribute> = {};
  for (const name of Object.keys(node.properties ?? {}).sort()) {
    const child = node.properties![name]!;
    out[name] = attribute(child, `${path}.${name}`, modeOf(child, required.has(name), parent));
  }
  return out;
}

function resourceSchema(info: KindInfo): TerraformSchema {
  const attrs = attributes(info.schema, info.kind, 'optional');
  attrs.id ??= { type: 'string', description_kind: 'markdown', computed: true };
  return {
    version: 0,
    block: { attributes: attrs, description: info.description, description_kind: 'markdown' },
  };
}

/** Data sources take `account_id` and return everything else. */
function dataSourceSchema(info: KindInfo): TerraformSchema {
  const attrs = attributes(info.schema, info.kind, 'computed');
  const accountId = info.schema.properties.account_id;
  if (!accountId) throw new Error(`data source ${info.kind}: "account_id" is missing`);
  attrs.account_id = attribute(accountId, `${info.kind}.account_id`, 'required');
  return {
    version: 0,
    block: { attributes: attrs, description: info.description, description_kind: 'markdown' },
  };
}

export function buildProviderSchema(kinds: readonly KindInfo[]): ProviderSchemaDocument {
  const typeName = (info: KindInfo) => `telform_${info.kind}`;
  return {
    // Terraform's JSON readers (encoding/json, @cdktf/commons) ignore unknown top-level keys.
    '//': generatedNotice('schemas/kinds/*.schema.json'),
    format_version: '1.0',
    provider_schemas: {
      [providerAddress]: {
        provider: structuredClone(providerBlock),
        resource_schemas: Object.fromEntries(
          kinds.filter((k) => !k.dataSource).map((k) => [typeName(k), resourceSchema(k)]),
        ),
        data_source_schemas: Object.fromEntries(
          kinds.filter((k) => k.dataSource).map((k) => [typeName(k), dataSourceSchema(k)]),
        ),
      },
    },
  };
}

export function generateProviderSchema(kinds: readonly KindInfo[]): GeneratedFile {
  const content = JSON.stringify(buildProviderSchema(kinds), null, 2) + '\n';
  return { path: providerSchemaPath, content };
}
