import { validateResource } from '@telform/schemas';
import { Diagnostics } from '../diag/diagnostics.js';
import { fromDynamicValue, type DynamicValueMessage } from '../protocol/dynamic-value.js';
import { isUnknown } from '../protocol/unknown-value.js';
import { concernsUnknown, validationInput } from '../resources/api-attributes.js';
import type { ResourceType } from '../resources/resource-types.js';
import type { ProviderServer } from './provider-server.js';

/**
 * Validates a resource's config against its kind's JSON Schema. Values not known yet (they
 * depend on other resources) are left out, and errors about them are not reported: Terraform
 * validates again once they are known. A write-only attribute left out may be held already
 * (set earlier, or kept by the platform for an adopted resource), so it is validated as an
 * update here; a create that lacks one is refused by the plan (planResourceChange).
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
  configErrors(type, config as Record<string, unknown>, 'update', diagnostics);
  return { diagnostics: diagnostics.items };
}

/**
 * Adds a diagnostic per rule `config` breaks in `mode`; with `onlyCreate`, only those a create
 * breaks and an update would not (a required write-only attribute left out).
 */
export function configErrors(
  type: ResourceType,
  config: Record<string, unknown>,
  mode: 'create' | 'update',
  diagnostics: Diagnostics,
  onlyCreate = false,
): void {
  const attributes = type.schema.block.attributes ?? {};
  const { value, unknownPaths } = validationInput(attributes, config);
  const result = validateResource(type.kind.kind, value, mode);
  if (result.ok) return;
  const asUpdate = onlyCreate ? validateResource(type.kind.kind, value, 'update') : { ok: true };
  const known = new Set(
    'errors' in asUpdate ? asUpdate.errors.map((e) => `${e.field}\u0000${e.rule}`) : [],
  );
  for (const error of result.errors) {
    if (concernsUnknown(error.field, unknownPaths)) continue;
    if (known.has(`${error.field}\u0000${error.rule}`)) continue;
    diagnostics.addAttributeError(
      error.field,
      'Invalid attribute value',
      `${error.message} (rule "${error.rule}" of ${type.typeName}).`,
      attributes,
    );
  }
}
