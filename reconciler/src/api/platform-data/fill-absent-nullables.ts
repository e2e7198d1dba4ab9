import type { KindInfo } from '@telform/schemas';

type Data = Record<string, unknown>;
interface Node {
  readonly type?: string | readonly string[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Node>>;
  readonly items?: Node;
}

const nullable = (n: Node | undefined) => Array.isArray(n?.type) && n.type.includes('null');

/**
 * A platform leaves out what does not apply (`retry_of` on a first attempt); the data source's
 * items always carry their required attributes, so the absent nullable ones are set to null
 * and every item has one shape for scripts and Terraform.
 */
export function fillAbsentNullables(info: KindInfo, data: Data): Data {
  const out: Data = { ...data };
  for (const [name, node] of Object.entries(info.schema.properties as Record<string, Node>)) {
    const items = node.items;
    if (!Array.isArray(out[name]) || !items?.properties) continue;
    const fill = (items.required ?? []).filter((r) => nullable(items.properties![r]));
    if (fill.length === 0) continue;
    out[name] = (out[name] as Data[]).map((item) => {
      const copy = { ...item };
      for (const r of fill) if (copy[r] === undefined) copy[r] = null;
      return copy;
    });
  }
  return out;
}
