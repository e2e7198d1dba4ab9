import { Diagnostics } from '../diag/diagnostics.js';
import { toDynamicValue } from '../protocol/dynamic-value.js';
import { stateFromResource } from '../resources/api-attributes.js';
import { apiErrorDiagnostics } from './api-error-diagnostics.js';
import type { ProviderServer } from './provider-server.js';

const platformRefPrefix = 'platform:';

/**
 * `terraform import telform_<kind>.name <id>` (and `import {}` blocks): the id is the one the
 * `id` attribute shows, or a platform reference (`platform:<account>/<object>`, platform ids as
 * the vendor's console shows them), which adopts the platform object as it is (telform then
 * manages it; nothing changes on the platform) and imports the resource telform made for it.
 */
export async function importResourceState(
  server: ProviderServer,
  request: { type_name: string; id: string },
): Promise<object> {
  const diagnostics = new Diagnostics();
  const type = server.resource(request.type_name, diagnostics);
  const client = server.configuredClient(diagnostics);
  if (!type || !client) return { diagnostics: diagnostics.items };
  try {
    const resource = request.id.startsWith(platformRefPrefix)
      ? await client.adopt(type.kind.kind, request.id)
      : await client.get(type.kind.kind, request.id);
    if (!resource || resource.kind !== type.kind.kind) {
      diagnostics.addError(
        'Cannot import non-existent remote object',
        `telform has no ${type.kind.kind} with id "${request.id}". Import takes the id that the resource's id attribute shows, such as ${type.kind.kind}_01jd8x..., or a platform reference that adopts what the platform holds, such as ${platformRefPrefix}acc-3/u-264 (see the resource's reference page).`,
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
