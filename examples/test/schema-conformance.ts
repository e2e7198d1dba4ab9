import type { KindInfo } from '../../schemas/src/catalog.js';
import {
  buildProviderSchema,
  providerAddress,
  type TerraformAttribute,
} from '../../schemas/src/generate-provider-schema.js';

/** Terraform's own arguments of every resource block, which no provider schema declares. */
const metaArguments = new Set(['//', 'count', 'for_each', 'depends_on', 'provider', 'lifecycle']);

const isExpression = (value: unknown) => typeof value === 'string' && value.includes('${');

function check(
  attrs: Record<string, TerraformAttribute>,
  body: Record<string, unknown>,
  at: string,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (at === '' && metaArguments.has(name)) continue;
    const attr = attrs[name];
    if (!attr) problems.push(`${at}${name}: not in the provider schema`);
    else if (attr.computed && !attr.optional && !attr.required)
      problems.push(`${at}${name}: read-only`);
    else if (attr.nested_type && !isExpression(value)) {
      const items = attr.nested_type.nesting_mode === 'list' ? (value as unknown[]) : [value];
      items.forEach((item, i) => {
        const path =
          attr.nested_type!.nesting_mode === 'list' ? `${at}${name}[${i}].` : `${at}${name}.`;
        if (!isExpression(item))
          problems.push(
            ...check(attr.nested_type!.attributes, item as Record<string, unknown>, path),
          );
      });
    }
  }
  for (const [name, attr] of Object.entries(attrs)) {
    if (attr.required && !(name in body)) problems.push(`${at}${name}: required but missing`);
  }
  return problems;
}

/**
 * What `terraform validate` would say about the attributes of `resources` (Terraform JSON
 * shape: type, then name, then body): unknown or read-only attributes set, required ones
 * missing, nested objects included. Values that are expressions are not followed.
 */
export function schemaProblems(
  kinds: readonly KindInfo[],
  resources: Record<string, Record<string, Record<string, unknown>>>,
): string[] {
  const schemas = buildProviderSchema(kinds).provider_schemas[providerAddress]!.resource_schemas;
  const problems: string[] = [];
  for (const [type, named] of Object.entries(resources)) {
    const schema = schemas[type];
    if (!schema) {
      problems.push(`${type}: not a telform resource type`);
      continue;
    }
    for (const [name, body] of Object.entries(named)) {
      problems.push(...check(schema.block.attributes, body, '').map((p) => `${type}.${name}.${p}`));
    }
  }
  return problems;
}
