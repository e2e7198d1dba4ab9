import type { Attributes } from '../driver/platform-driver.js';
import { cloneJson, removeAt, setAt, valuesAt } from '../store/attribute-paths.js';

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
  const out: Record<string, unknown> = { ...cloneJson(desired) };
  for (const attribute of desiredOnly) {
    // Deepest first, so removing one array item's attribute never shifts another's path.
    for (const { path } of valuesAt(out, attribute).reverse()) removeAt(out, path);
  }
  return out;
}

/**
 * The payload of a create or update: resolved attributes with the opened secrets put back in
 * place (they are stored by concrete path, `authentication.password`), desired-only dropped.
 */
export function desiredPayload(
  desiredOnly: readonly string[],
  attributes: Readonly<Record<string, unknown>>,
  secrets: Readonly<Record<string, string>>,
): Attributes {
  const desired: Record<string, unknown> = { ...cloneJson(attributes) };
  for (const [path, value] of Object.entries(secrets)) setAt(desired, path, value);
  return platformPayload(desiredOnly, desired);
}
