import { Diagnostics } from '../diag/diagnostics.js';
import { fromDynamicValue, type DynamicValueMessage } from '../protocol/dynamic-value.js';
import type { ProviderServer } from './provider-server.js';

export interface ProviderConfig {
  readonly endpoint: unknown;
  readonly token: unknown;
}

/** Checks the known provider arguments; unknown ones are checked once known. */
export function checkProviderConfig(config: ProviderConfig, diagnostics: Diagnostics): void {
  if (typeof config.endpoint === 'string' && !/^https?:\/\/[^/\s]+/.test(config.endpoint)) {
    diagnostics.addAttributeError(
      'endpoint',
      'Invalid endpoint',
      'endpoint must be an http:// or https:// URL of the telform daemon.',
    );
  }
  if (config.token === '') {
    diagnostics.addAttributeError(
      'token',
      'Invalid token',
      'token must not be empty; create one with `telform token create`.',
    );
  }
}

export function validateProviderConfig(
  server: ProviderServer,
  request: { config: DynamicValueMessage },
): object {
  const diagnostics = new Diagnostics();
  const config = fromDynamicValue(
    request.config,
    server.types.provider.type,
  ) as ProviderConfig | null;
  if (config) checkProviderConfig(config, diagnostics);
  return { diagnostics: diagnostics.items };
}
