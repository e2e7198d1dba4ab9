/**
 * The subset of cty's type system that telform's schemas use, in the JSON form Terraform puts in
 * schemas (`"string"`, `["list","string"]`, `["object",{...}]`).
 */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', Readonly<Record<string, CtyType>>];

/** A `terraform providers schema -json` attribute, as the schemas generator writes it. */
export interface JsonSchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: {
    readonly attributes: Readonly<Record<string, JsonSchemaAttribute>>;
    readonly nesting_mode: 'single' | 'list' | 'set' | 'map';
  };
  readonly description?: string;
  readonly description_kind?: 'plain' | 'markdown';
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly write_only?: boolean;
  readonly deprecated?: boolean;
}

/** A block of attributes (nested blocks are not used by telform's schemas). */
export interface JsonSchemaBlock {
  readonly attributes?: Readonly<Record<string, JsonSchemaAttribute>>;
  readonly description?: string;
  readonly description_kind?: 'plain' | 'markdown';
  readonly deprecated?: boolean;
}

export interface JsonSchema {
  readonly version: number;
  readonly block: JsonSchemaBlock;
}

/** The value type of an attribute: its own type, or the object its nested attributes imply. */
export function attributeType(attribute: JsonSchemaAttribute): CtyType {
  if (attribute.type !== undefined) return attribute.type;
  const nested = attribute.nested_type;
  if (!nested) throw new Error('attribute has neither "type" nor "nested_type"');
  const object = objectType(nested.attributes);
  return nested.nesting_mode === 'single' ? object : [nested.nesting_mode, object];
}

export function objectType(attributes: Readonly<Record<string, JsonSchemaAttribute>>): CtyType {
  const out: Record<string, CtyType> = {};
  for (const [name, attribute] of Object.entries(attributes)) out[name] = attributeType(attribute);
  return ['object', out];
}

/** The object type a block's values have. */
export function blockType(block: JsonSchemaBlock): CtyType {
  return objectType(block.attributes ?? {});
}
