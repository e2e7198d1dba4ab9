import { TelformClient } from '../client/telform-client.js';
import { Diagnostics } from '../diag/diagnostics.js';
import { fromDynamicValue, type DynamicValueMessage } from '../protocol/dynamic-value.js';
import { isUnknown } from '../protocol/unknown-value.js';
import type { ProviderServer } from './provider-server.js';
import { checkProviderConfig, type ProviderConfig } from './validate-provider-config.js';

/** `30s`, `10m`, `1h` or a number of seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1_000;
  return Number(match[1]) * unit;
}

const known = (value: unknown) =>
  typeof value === 'string' && !isUnknown(value) ? value : undefined;

export function configureProvider(
  server: ProviderServer,
  request: {
    config: DynamicValueMessage;
    client_capabilities: { write_only_attributes_allowed: boolean } | null;
  },
): object {
  const diagnostics = new Diagnostics();
  const config = (fromDynamicValue(request.config, server.types.provider.type) ??
    {}) as ProviderConfig;
  checkProviderConfig(config, diagnostics);
  server.writeOnly = request.client_capabilities?.write_only_attributes_allowed === true;
  const endpoint =
    known(config.endpoint) ?? process.env.TELFORM_ENDPOINT ?? 'http://127.0.0.1:7420';
  const token = known(config.token) ?? process.env.TELFORM_TOKEN;
  if (!token) {
    diagnostics.addAttributeError(
      'token',
      'Missing token',
      'Set the provider argument token or the TELFORM_TOKEN environment variable (create one with `telform token create`).',
    );
  }
  const timeout = process.env.TELFORM_APPLY_TIMEOUT;
  if (timeout !== undefined) {
    const ms = parseDuration(timeout);
    if (ms === undefined || ms <= 0) {
      diagnostics.addError(
        'Invalid TELFORM_APPLY_TIMEOUT',
        'TELFORM_APPLY_TIMEOUT must be a duration such as 90s, 10m or 1h.',
      );
    } else server.applyTimeoutMs = ms;
  }
  const refreshMaxAgeMs = refreshMaxAge(diagnostics);
  if (!diagnostics.hasErrors() && token)
    server.client = new TelformClient({ endpoint, token, refreshMaxAgeMs });
  return { diagnostics: diagnostics.items };
}

/**
 * TELFORM_REFRESH_MAX_AGE: how old the platform observations a refresh shows may be (default
 * `0s`: every plan reads the platform, one bulk listing per kind and account); `off` shows the
 * daemon's stored observations without asking the platform.
 */
function refreshMaxAge(diagnostics: Diagnostics): number | null {
  const text = process.env.TELFORM_REFRESH_MAX_AGE;
  if (text === undefined || text.trim() === '') return 0;
  if (text.trim() === 'off') return null;
  const ms = parseDuration(text);
  if (ms === undefined || ms > 86_400_000) {
    diagnostics.addError(
      'Invalid TELFORM_REFRESH_MAX_AGE',
      'TELFORM_REFRESH_MAX_AGE must be a duration of at most 24h such as 0s, 30s or 5m, or off.',
    );
    return 0;
  }
  return ms;
}
