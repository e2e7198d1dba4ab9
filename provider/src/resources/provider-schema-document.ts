import { providerAddress } from '@telform/schemas';
import type { JsonSchema } from '../protocol/cty-type.js';
import { driftPolicySchema, driftPolicyTypeName } from './drift-policy-resource.js';
import { providerTypes, type ProviderTypes } from './resource-types.js';

/** One provider's part of `terraform providers schema -json`. */
export interface ProviderSchemas {
  readonly provider: JsonSchema;
  readonly resource_schemas: Readonly<Record<string, JsonSchema>>;
  readonly data_source_schemas: Readonly<Record<string, JsonSchema>>;
}

/**
 * Every type the provider serves, in the format `terraform providers schema -json` prints: the
 * generated kinds and the hand-written types (`telform_drift_policy`, `telform_drift`,
 * `telform_platform_activity`) alike. GetProviderSchema serves exactly this, and the docs are
 * generated from it, as tfplugindocs generates them from Terraform's own output.
 */
export function providerSchemaDocument(types: ProviderTypes = providerTypes()): {
  format_version: '1.0';
  provider_schemas: Record<string, ProviderSchemas>;
} {
  const schemas = <T extends { schema: JsonSchema }>(map: ReadonlyMap<string, T>) =>
    Object.fromEntries([...map].map(([name, type]) => [name, type.schema]));
  const { type: _type, ...provider } = types.provider;
  return {
    format_version: '1.0',
    provider_schemas: {
      [providerAddress]: {
        provider,
        resource_schemas: {
          ...schemas(types.resources),
          [driftPolicyTypeName]: driftPolicySchema,
        },
        data_source_schemas: schemas(types.dataSources),
      },
    },
  };
}
