/**
 * Converts schemas from the `terraform providers schema -json` format (the generated
 * provider-schema.json) into tfplugin6 `Schema` messages, as plain objects for protobufjs to encode.
 */
import type { JsonSchema, JsonSchemaAttribute, JsonSchemaBlock } from './cty-type.js';

const stringKind = (kind: string | undefined) => (kind === 'markdown' ? 'MARKDOWN' : 'PLAIN');
const nesting = { single: 'SINGLE', list: 'LIST', set: 'SET', map: 'MAP' } as const;

export interface ProtoAttribute {
  name: string;
  type: Buffer;
  nested_type: { attributes: ProtoAttribute[]; nesting: string } | null;
  description: string;
  description_kind: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  deprecated: boolean;
  write_only: boolean;
}

export interface ProtoSchema {
  version: number;
  block: {
    version: number;
    attributes: ProtoAttribute[];
    block_types: never[];
    description: string;
    description_kind: string;
    deprecated: boolean;
  };
}

function convertAttribute(name: string, attribute: JsonSchemaAttribute): ProtoAttribute {
  const nested = attribute.nested_type;
  return {
    name,
    // Nested attributes carry their type in nested_type alone; type must stay empty.
    type: nested ? Buffer.alloc(0) : Buffer.from(JSON.stringify(attribute.type)),
    nested_type: nested
      ? { attributes: convertAttributes(nested.attributes), nesting: nesting[nested.nesting_mode] }
      : null,
    description: attribute.description ?? '',
    description_kind: stringKind(attribute.description_kind),
    required: attribute.required === true,
    optional: attribute.optional === true,
    computed: attribute.computed === true,
    sensitive: attribute.sensitive === true,
    deprecated: attribute.deprecated === true,
    write_only: attribute.write_only === true,
  };
}

function convertAttributes(
  attributes: Readonly<Record<string, JsonSchemaAttribute>> | undefined,
): ProtoAttribute[] {
  return Object.entries(attributes ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, attribute]) => convertAttribute(name, attribute));
}

function convertBlock(block: JsonSchemaBlock, version: number): ProtoSchema['block'] {
  return {
    version,
    attributes: convertAttributes(block.attributes),
    block_types: [],
    description: block.description ?? '',
    description_kind: stringKind(block.description_kind),
    deprecated: block.deprecated === true,
  };
}

export function convertSchema(schema: JsonSchema): ProtoSchema {
  return { version: schema.version, block: convertBlock(schema.block, schema.version) };
}
