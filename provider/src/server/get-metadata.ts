import { serverCapabilities } from './get-provider-schema.js';
import type { ProviderServer } from './provider-server.js';

export function getMetadata(server: ProviderServer): object {
  return {
    server_capabilities: serverCapabilities,
    diagnostics: [],
    resources: [...server.types.resources.keys()].map((type_name) => ({ type_name })),
    data_sources: [...server.types.dataSources.keys()].map((type_name) => ({ type_name })),
  };
}
