import { isPlainObject } from './kind-table.js';
import type { Attrs } from './records.js';

/**
 * Moves write-only attributes (dotted paths such as `authentication.password`) out of `attrs`.
 * Secrets omitted from an update keep their stored value; `null` clears one.
 */
export function splitSecrets(
  paths: readonly string[],
  attrs: Attrs,
  previous: Readonly<Record<string, unknown>> = {},
): { attributes: Attrs; secrets: Record<string, unknown> } {
  const attributes = structuredClone(attrs);
  const secrets: Record<string, unknown> = { ...previous };
  for (const path of paths) {
    if (path.includes('[]')) continue;
    const parts = path.split('.');
    const last = parts.pop()!;
    let node: unknown = attributes;
    for (const p of parts) node = isPlainObject(node) ? node[p] : undefined;
    if (!isPlainObject(node) || !(last in node)) continue;
    const value = node[last];
    delete node[last];
    if (value === null) delete secrets[path];
    else secrets[path] = value;
  }
  return { attributes, secrets };
}
