import { validateResource } from '@telform/schemas';
import { Diagnostics } from '../diag/diagnostics.js';
import { fromDynamicValue, type DynamicValueMessage } from '../protocol/dynamic-value.js';
import { isUnknown } from '../protocol/unknown-value.js';
import { concernsUnknown, validationInput } from '../resources/api-attributes.js';
import type { ProviderServer } from './provider-server.js';

/**
 * Validates a resource's config against its kind's JSON Schema. Values not known yet (they
 * depend on other resources) are left out, and errors about them are not reported: Terraform
 * validates again once they are known.
 */
export function validateResourceConfig(
  server: ProviderServer,
  request: { type_name: string; config: DynamicValueMessage },
): object {
  const diagnostics = new Diagnostics();
  const type = server.resource(request.type_name, diagnostics);
  if (!type) return { diagnostics: diagnostics.items };
  const config = fromDynamicValue(request.config, type.type);
  if (config === null || isUnknown(config)) return { diagnostics: diagnostics.items };
  const attributes = type.schema.block.attributes ?? {};
  const { value, unknownPaths } = validationInput(attributes, config as Record<string, unknown>);
  const result = validateResource(type.kind.kind, value, 'create');
  if (!result.ok) {
    for (const error of result.errors) {
      if (concernsUnknown(error.field, unknownPaths)) continue;
      diagnostics.addAttributeError(
        error.field,
        'Invalid attribute value',
        `${error.message} (rule "${error.rule}" of ${request.type_name}).`,
        attributes,
      );
    }
  }
  return { diagnostics: diagnostics.items };
}
