import { Diagnostics } from '../diag/diagnostics.js';
import { decodeJson } from '../protocol/cty-codec.js';
import { toDynamicValue } from '../protocol/dynamic-value.js';
import type { ProviderServer } from './provider-server.js';

/**
 * Schema version 0 is the only one so far: the stored JSON is read with the current schema,
 * which drops attributes that no longer exist and adds new ones as null.
 */
export function upgradeResourceState(
  server: ProviderServer,
  request: { type_name: string; version: number; raw_state: { json: Uint8Array } | null },
): object {
  const diagnostics = new Diagnostics();
  const type = server.resource(request.type_name, diagnostics);
  if (!type) return { diagnostics: diagnostics.items };
  const json = request.raw_state?.json;
  if (!json || json.length === 0) {
    diagnostics.addError(
      'Unsupported state format',
      'The state of this resource is in the legacy flatmap format, which telform never wrote.',
    );
    return { diagnostics: diagnostics.items };
  }
  const state = decodeJson(json, type.type);
  return { upgraded_state: toDynamicValue(state, type.type), diagnostics: diagnostics.items };
}
