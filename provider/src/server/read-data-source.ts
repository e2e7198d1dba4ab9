import { Diagnostics } from '../diag/diagnostics.js';
import {
  fromDynamicValue,
  toDynamicValue,
  type DynamicValueMessage,
} from '../protocol/dynamic-value.js';
import { readDataSourceState } from '../resources/data-source-state.js';
import { apiErrorDiagnostics } from './api-error-diagnostics.js';
import type { ProviderServer } from './provider-server.js';

export async function readDataSource(
  server: ProviderServer,
  request: { type_name: string; config: DynamicValueMessage },
): Promise<object> {
  const diagnostics = new Diagnostics();
  const type = server.dataSource(request.type_name, diagnostics);
  const client = server.configuredClient(diagnostics);
  if (!type || !client) return { diagnostics: diagnostics.items };
  const config = fromDynamicValue(request.config, type.type) as Record<string, unknown> & {
    account_id: string;
  };
  try {
    const state = await readDataSourceState(client, type, config);
    return { state: toDynamicValue(state, type.type), diagnostics: diagnostics.items };
  } catch (err) {
    apiErrorDiagnostics(
      err,
      `Cannot read ${request.type_name} of ${config.account_id}`,
      diagnostics,
    );
    return { diagnostics: diagnostics.items };
  }
}
