import { convertSchema, type ProtoSchema } from '../protocol/schema-conversion.js';
import { driftPolicySchema, driftPolicyTypeName } from '../resources/drift-policy-resource.js';
import type { ProviderServer } from './provider-server.js';

let cached: object | undefined;

export const serverCapabilities = {
  plan_destroy: false,
  get_provider_schema_optional: true,
  move_resource_state: false,
};

export function getProviderSchema(server: ProviderServer): object {
  if (cached) return cached;
  const convert = <T extends { schema: Parameters<typeof convertSchema>[0] }>(
    types: ReadonlyMap<string, T>,
  ) => {
    const out: Record<string, ProtoSchema> = {};
    for (const [name, type] of types) out[name] = convertSchema(type.schema);
    return out;
  };
  cached = {
    provider: convertSchema(server.types.provider),
    resource_schemas: {
      ...convert(server.types.resources),
      [driftPolicyTypeName]: convertSchema(driftPolicySchema),
    },
    data_source_schemas: convert(server.types.dataSources),
    diagnostics: [],
    server_capabilities: serverCapabilities,
  };
  return cached;
}
