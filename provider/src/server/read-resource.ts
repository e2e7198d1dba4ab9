import { Diagnostics } from '../diag/diagnostics.js';
import {
  fromDynamicValue,
  toDynamicValue,
  type DynamicValueMessage,
} from '../protocol/dynamic-value.js';
import { stateFromResource } from '../resources/api-attributes.js';
import { applyOutcome } from '../resources/apply-outcome.js';
import { apiErrorDiagnostics } from './api-error-diagnostics.js';
import type { ProviderServer } from './provider-server.js';

/**
 * Refreshes one resource from the API (served from the bulk listing of its account). A resource
 * the API no longer has is returned as null, which removes it from the state. One the reconciler
 * is still applying gets a warning, never a change: it is read, not replaced.
 */
export async function readResource(
  server: ProviderServer,
  request: { type_name: string; current_state: DynamicValueMessage; private: Uint8Array },
): Promise<object> {
  const diagnostics = new Diagnostics();
  const type = server.resource(request.type_name, diagnostics);
  const client = server.configuredClient(diagnostics);
  if (!type || !client) return { diagnostics: diagnostics.items };
  const current = fromDynamicValue(request.current_state, type.type) as Record<
    string,
    unknown
  > | null;
  if (!current || typeof current.id !== 'string') {
    return {
      new_state: request.current_state,
      private: request.private,
      diagnostics: diagnostics.items,
    };
  }
  const accountId =
    type.kind.scope === 'global' ? current.id : (current.account_id as string | null);
  try {
    const resource = await client.read(type.kind.kind, current.id, accountId);
    const state = resource
      ? stateFromResource(
          type.schema.block.attributes ?? {},
          type.kind.schema,
          resource,
          current,
          server.writeOnly,
        )
      : null;
    const outcome = resource ? applyOutcome(resource) : null;
    // Say so when a change is still on its way (an apply that timed out left it so).
    if (outcome?.state === 'pending') {
      diagnostics.addWarning(
        `${request.type_name} ${current.id} not yet in sync with the platform`,
        `The reconciler keeps working on it; last status: ${outcome.reason}${outcome.message ? `: ${outcome.message}` : ''}.`,
      );
    }
    return {
      new_state: toDynamicValue(state, type.type),
      private: request.private,
      diagnostics: diagnostics.items,
    };
  } catch (err) {
    apiErrorDiagnostics(err, `Cannot read ${request.type_name} ${current.id}`, diagnostics);
    return {
      new_state: request.current_state,
      private: request.private,
      diagnostics: diagnostics.items,
    };
  }
}
