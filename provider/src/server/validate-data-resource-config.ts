import { Diagnostics } from '../diag/diagnostics.js';
import { fromDynamicValue, type DynamicValueMessage } from '../protocol/dynamic-value.js';
import type { ProviderServer } from './provider-server.js';

/** Data sources take one argument, `account_id`: it must name a telform account id. */
export function validateDataResourceConfig(
  server: ProviderServer,
  request: { type_name: string; config: DynamicValueMessage },
): object {
  const diagnostics = new Diagnostics();
  const type = server.dataSource(request.type_name, diagnostics);
  if (!type) return { diagnostics: diagnostics.items };
  const config = fromDynamicValue(request.config, type.type) as { account_id?: unknown } | null;
  const accountId = config?.account_id;
  if (typeof accountId === 'string' && !/^(account|sub_account)_[0-9a-z]{26}$/.test(accountId)) {
    diagnostics.addAttributeError(
      'account_id',
      'Invalid attribute value',
      'account_id must be the id of a telform_account or telform_sub_account (account_... or sub_account_... followed by 26 characters).',
    );
  }
  return { diagnostics: diagnostics.items };
}
