// Attribute paths as the catalogue writes them: dotted (`authentication.password`), with `[]`
// for "every item of this array" (`recipients[].user_id`).

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value found at `path`, with its concrete path (`recipients[2].user_id`). */
export function valuesAt(root: unknown, path: string): Array<{ path: string; value: unknown }> {
  let found: Array<{ path: string; value: unknown }> = [{ path: '', value: root }];
  for (const segment of path.split('.')) {
    const each = segment.endsWith('[]');
    const name = each ? segment.slice(0, -2) : segment;
    const next: Array<{ path: string; value: unknown }> = [];
    for (const { path: at, value } of found) {
      if (!isObject(value) || !(name in value)) continue;
      const child = value[name];
      const childPath = at ? `${at}.${name}` : name;
      if (each && Array.isArray(child)) {
        child.forEach((item, i) => next.push({ path: `${childPath}[${i}]`, value: item }));
      } else if (!each) {
        next.push({ path: childPath, value: child });
      }
    }
    found = next;
  }
  return found;
}

// One step of a concrete path: `name` or `name[3]`.
function step(node: unknown, part: string): unknown {
  const indexed = /^(.+)\[(\d+)\]$/.exec(part);
  const value = isObject(node) ? node[indexed ? indexed[1]! : part] : undefined;
  return indexed ? (Array.isArray(value) ? value[Number(indexed[2])] : undefined) : value;
}

/** Removes the attribute at a concrete path; returns whether it was present. */
export function removeAt(root: Json, path: string): boolean {
  const parts = path.split('.');
  const last = parts.pop()!;
  let node: unknown = root;
  for (const part of parts) node = step(node, part);
  if (!isObject(node) || !(last in node)) return false;
  delete node[last];
  return true;
}

/** Sets the attribute at a concrete path whose parent exists; returns whether it could. */
export function setAt(root: Json, path: string, value: unknown): boolean {
  const parts = path.split('.');
  const last = parts.pop()!;
  let node: unknown = root;
  for (const part of parts) node = step(node, part);
  if (!isObject(node)) return false;
  node[last] = value;
  return true;
}

/** Reads the attribute at a concrete path (`a.b`, `items[2].c`). */
export function getAt(root: unknown, path: string): unknown {
  let node = root;
  for (const part of path.split('.')) node = step(node, part);
  return node;
}

/** A deep copy of JSON data, so callers' objects are never mutated. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** JSON with object keys sorted: jsonb does not keep key order, so compare through this. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
