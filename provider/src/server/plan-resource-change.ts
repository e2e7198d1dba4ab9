import { Diagnostics } from '../diag/diagnostics.js';
import { parseFieldPath } from '../diag/attribute-path.js';
import {
  fromDynamicValue,
  toDynamicValue,
  type DynamicValueMessage,
} from '../protocol/dynamic-value.js';
import { planObject, replacedPaths, unknownComputed } from '../resources/plan-values.js';
import type { ProviderServer } from './provider-server.js';
import { configErrors } from './validate-resource-config.js';

type ObjectValue = Record<string, unknown>;

/**
 * Plans a create (computed values unknown, defaults filled), an update (prior computed values
 * kept, `requires_replace` for force-new attributes) or a destroy (null).
 */
export function planResourceChange(
  server: ProviderServer,
  request: {
    type_name: string;
    prior_state: DynamicValueMessage;
    proposed_new_state: DynamicValueMessage;
    config: DynamicValueMessage;
    prior_private: Uint8Array;
    client_capabilities: { write_only_attributes_allowed: boolean } | null;
  },
): object {
  const diagnostics = new Diagnostics();
  const type = server.resource(request.type_name, diagnostics);
  if (!type) return { diagnostics: diagnostics.items };
  const prior = fromDynamicValue(request.prior_state, type.type) as ObjectValue | null;
  const proposed = fromDynamicValue(request.proposed_new_state, type.type) as ObjectValue | null;
  const config = fromDynamicValue(request.config, type.type) as ObjectValue | null;
  if (proposed === null) {
    return {
      planned_state: toDynamicValue(null, type.type),
      planned_private: request.prior_private,
      diagnostics: [],
    };
  }
  // A create must carry what an update may leave out (a write-only value held already).
  if (prior === null && config !== null) {
    configErrors(type, config, 'create', diagnostics, true);
    if (diagnostics.items.length > 0) return { diagnostics: diagnostics.items };
  }
  const writeOnly = request.client_capabilities?.write_only_attributes_allowed ?? server.writeOnly;
  const attributes = type.schema.block.attributes ?? {};
  const values = planObject(attributes, type.kind.schema, proposed, config, {
    create: prior === null,
    writeOnly,
  });
  const planned = prior ? unknownComputed(attributes, prior, values) : values;
  const replace = prior ? replacedPaths(type.kind.forceNew, prior, planned) : [];
  return {
    planned_state: toDynamicValue(planned, type.type),
    requires_replace: replace.map((field) => parseFieldPath(field)),
    planned_private: request.prior_private,
    diagnostics: diagnostics.items,
  };
}
