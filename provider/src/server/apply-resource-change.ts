import { ApiError } from '../client/api-resource.js';
import { Diagnostics } from '../diag/diagnostics.js';
import {
  fromDynamicValue,
  toDynamicValue,
  type DynamicValueMessage,
} from '../protocol/dynamic-value.js';
import { createResource, deleteResource, updateResource } from '../resources/managed-resource.js';
import type { ProviderServer } from './provider-server.js';

type ObjectValue = Record<string, unknown>;

/**
 * Applies a planned change through the reconciler API and waits until the platform holds it.
 * A create that the platform then refuses still returns the new state, with the error, so the
 * resource stays tracked (and tainted) rather than forgotten.
 */
export async function applyResourceChange(
  server: ProviderServer,
  request: {
    type_name: string;
    prior_state: DynamicValueMessage;
    planned_state: DynamicValueMessage;
    config: DynamicValueMessage;
    planned_private: Uint8Array;
  },
): Promise<object> {
  const diagnostics = new Diagnostics();
  const type = server.resource(request.type_name, diagnostics);
  const client = server.configuredClient(diagnostics);
  if (!type || !client) return { new_state: request.prior_state, diagnostics: diagnostics.items };
  const prior = fromDynamicValue(request.prior_state, type.type) as ObjectValue | null;
  const planned = fromDynamicValue(request.planned_state, type.type) as ObjectValue | null;
  const config = fromDynamicValue(request.config, type.type) as ObjectValue | null;
  const context = { server, client, type, diagnostics };
  let state: ObjectValue | null;
  try {
    if (planned === null) state = await deleteResource(context, prior!);
    else if (prior === null) state = await createResource(context, planned, config);
    else state = await updateResource(context, prior, planned, config);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    diagnostics.addError(`Cannot apply ${request.type_name}`, `${err.message} (${err.code}).`);
    state = prior;
  }
  return {
    new_state: toDynamicValue(state, type.type),
    private: request.planned_private,
    diagnostics: diagnostics.items,
  };
}
