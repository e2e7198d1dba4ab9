import type { Attributes } from '../driver/platform-driver.js';
import { cloneJson, removeAt, valuesAt } from '../store/attribute-paths.js';

/**
 * What the driver is handed for one resource: the desired attributes (references resolved,
 * secrets opened) minus the kind's desired-only attributes (`x-telform-desired-only`, such as
 * `password_wo_version`), which are telform's bookkeeping and mean nothing to a platform.
 * `desired` is not mutated.
 */
export function platformPayload(
  desiredOnly: readonly string[],
  desired: Readonly<Record<string, unknown>>,
): Attributes {
  const out = cloneJson(desired) as Record<string, unknown>;
  for (const attribute of desiredOnly) {
    // Deepest first, so removing one array item's attribute never shifts another's path.
    for (const { path } of valuesAt(out, attribute).reverse()) removeAt(out, path);
  }
  return out;
}
