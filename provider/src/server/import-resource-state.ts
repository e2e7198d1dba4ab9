import { Diagnostics } from '../diag/diagnostics.js';
import { toDynamicValue } from '../protocol/dynamic-value.js';
import { stateFromResource } from '../resources/api-attributes.js';
import { apiErrorDiagnostics } from './api-error-diagnostics.js';
import type { ProviderServer } from './provider-server.js';

/** `terraform import telform_<kind>.name <id>`: the id is the one the `id` attribute shows. */
export async function importResourceState(
  server: ProviderServer,
  request: { type_name: string; id: string },
): Promise<object> {
  const diagnostics = new Diagnostics();
  const type = server.resource(request.type_name, diagnostics);
  const client = server.configuredClient(diagnostics);
  if (!type || !client) return { diagnostics: diagnostics.items };
  try {
    const resource = await client.get(type.kind.kind, request.id);
    if (!resource || resource.kind !== type.kind.kind) {
      diagnostics.addError(
        'Cannot import non-existent remote object',
        `telform has no ${type.kind.kind} with id "${request.id}". Import takes the id that the resource's id attribute shows, such as ${type.kind.kind}_01jd8x...`,
      );
      return { diagnostics: diagnostics.items };
    }
    const state = stateFromResource(
      type.schema.block.attributes ?? {},
      type.kind.schema,
      resource,
      null,
      server.writeOnly,
    );
    return {
      imported_resources: [
        {
          type_name: request.type_name,
          state: toDynamicValue(state, type.type),
          private: Buffer.alloc(0),
        },
      ],
      diagnostics: diagnostics.items,
    };
  } catch (err) {
    apiErrorDiagnostics(err, `Cannot import ${request.type_name} ${request.id}`, diagnostics);
    return { diagnostics: diagnostics.items };
  }
}
