/**
 * The state one provider process keeps between RPCs: the resource types, the API client made by
 * ConfigureProvider, what the Terraform client supports, and whether StopProvider was called.
 */
import type { TelformClient } from '../client/telform-client.js';
import type { Diagnostics } from '../diag/diagnostics.js';
import {
  providerTypes,
  type DataSourceType,
  type ProviderTypes,
  type ResourceType,
} from '../resources/resource-types.js';

export class ProviderServer {
  readonly types: ProviderTypes = providerTypes();
  client: TelformClient | undefined;
  /** Terraform accepts write-only attributes (1.11+); otherwise secrets are only sensitive. */
  writeOnly = true;
  applyTimeoutMs = 10 * 60_000;
  /** Set by StopProvider: waits end early and report it. */
  readonly stop = new AbortController();

  resource(typeName: string, diagnostics: Diagnostics): ResourceType | undefined {
    const found = this.types.resources.get(typeName);
    if (!found)
      diagnostics.addError(
        `Unknown resource type ${typeName}`,
        `The telform provider has no resource type "${typeName}".`,
      );
    return found;
  }

  dataSource(typeName: string, diagnostics: Diagnostics): DataSourceType | undefined {
    const found = this.types.dataSources.get(typeName);
    if (!found)
      diagnostics.addError(
        `Unknown data source ${typeName}`,
        `The telform provider has no data source "${typeName}".`,
      );
    return found;
  }

  configuredClient(diagnostics: Diagnostics): TelformClient | undefined {
    if (!this.client) {
      diagnostics.addError(
        'Provider not configured',
        'The telform provider was not configured with an endpoint and a token; this is always an issue in the provider or in Terraform.',
      );
    }
    return this.client;
  }
}
