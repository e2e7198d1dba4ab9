import { getKind } from '@telform/schemas';

/** What naming needs of a resource. */
export interface NameableResource {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly spec: Readonly<Record<string, unknown>>;
  /** With nothing readable, take the name of this resource (a seat its user's), if named earlier. */
  readonly nameFrom?: string;
}

/** Attributes that read well as a Terraform name, best first. */
const readableAttributes = ['name', 'login', 'hostname', 'url', 'email', 'event', 'mac_address'];

/**
 * `text` as a Terraform name (`[a-z_][a-z0-9_]*`, lowercase by convention): accents dropped,
 * every other run of characters outside the set becomes one `_`. A name starting with a digit
 * is prefixed with `prefix_` (Terraform refuses it otherwise). Null when nothing readable is left.
 */
export function hclIdentifier(text: string, prefix: string): string | null {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (plain === '') return null;
  return /^[0-9]/.test(plain) ? `${prefix}_${plain}` : plain;
}

/**
 * A Terraform name for every resource, unique within its kind (the address is
 * `telform_<kind>.<name>`), keyed by id. Taken from the first readable attribute; a singleton
 * (one per account, nothing readable) is named after its account when the account was named
 * earlier in `resources`, anything else after `nameFrom`; otherwise the id as an identifier
 * (a telform id is one already). Clashes take `_2`,
 * `_3`, ... in the order of `resources`, so pass them in a stable order.
 */
export function assignNames(resources: readonly NameableResource[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Map<string, Set<string>>();
  // Per kind and base name, the suffix to try next: names are only ever added, so every lower
  // one is still taken. Without it, 100 accounts each with an `agent_1` cost 5,000 probes.
  const nextSuffix = new Map<string, number>();
  for (const resource of resources) {
    const base = preferredName(resource, names) ?? hclIdentifier(resource.id, resource.kind)!;
    const used = taken.get(resource.kind) ?? new Set<string>();
    taken.set(resource.kind, used);
    let name = base;
    if (used.has(name)) {
      const key = `${resource.kind}.${base}`;
      let n = nextSuffix.get(key) ?? 2;
      while (used.has(`${base}_${n}`)) n++;
      name = `${base}_${n}`;
      nextSuffix.set(key, n + 1);
    }
    used.add(name);
    names.set(resource.id, name);
  }
  return names;
}

function preferredName(
  resource: NameableResource,
  named: ReadonlyMap<string, string>,
): string | null {
  for (const attribute of readableAttributes) {
    const value = resource.spec[attribute];
    if (typeof value !== 'string') continue;
    // A URL's scheme says nothing about the resource.
    const text = attribute === 'url' ? value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') : value;
    const name = hclIdentifier(text, resource.kind);
    if (name !== null) return name;
  }
  if (getKind(resource.kind).singleton && resource.account_id !== null) {
    return named.get(resource.account_id) ?? null;
  }
  return resource.nameFrom === undefined ? null : (named.get(resource.nameFrom) ?? null);
}
