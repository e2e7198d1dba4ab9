import { providerAddress } from '@telform/schemas';
import { convertSchema, type ProtoSchema } from '../protocol/schema-conversion.js';
import { providerSchemaDocument } from '../resources/provider-schema-document.js';
import type { ProviderServer } from './provider-server.js';

let cached: object | undefined;

export const serverCapabilities = {
  plan_destroy: false,
  get_provider_schema_optional: true,
  move_resource_state: false,
};

export function getProviderSchema(server: ProviderServer): object {
  if (cached) return cached;
  const document = providerSchemaDocument(server.types).provider_schemas[providerAddress]!;
  const convert = (schemas: Readonly<Record<string, Parameters<typeof convertSchema>[0]>>) => {
    const out: Record<string, ProtoSchema> = {};
    for (const [name, schema] of Object.entries(schemas)) out[name] = convertSchema(schema);
    return out;
  };
  cached = {
    provider: convertSchema(document.provider),
    resource_schemas: convert(document.resource_schemas),
    data_source_schemas: convert(document.data_source_schemas),
    diagnostics: [],
    server_capabilities: serverCapabilities,
  };
  return cached;
}
