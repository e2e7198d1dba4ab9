/** What replaces a secret value in audit events, logs and drift reports. */
export const REDACTED = '[redacted]';

// Defence in depth behind the schemas' writeOnly lists: any key that names a credential.
const SECRET_KEY_NAME =
  /pass(word|phrase)?|secret|token|api_?key|private_?key|credential|authorization|cookie/i;
// Keys that name secrets without holding one.
const NOT_SECRET = new Set(['secrets_set', 'token_id', 'token_prefix']);

/** True when a key name looks like it holds a credential. */
export function isSecretKeyName(key: string): boolean {
  return !NOT_SECRET.has(key) && SECRET_KEY_NAME.test(key);
}

/**
 * A deep copy of `value` with secrets replaced by {@link REDACTED}: the attribute paths in
 * `secretPaths` (the catalogue's dotted form, `authentication.password`, `keys[].value`), also
 * when they sit under a wrapper (`request.authentication.password`, `observed.token`), and
 * every key whose name looks like a credential. `null` stays `null` (it says "cleared").
 */
export function redactSecrets(value: unknown, secretPaths: readonly string[] = []): unknown {
  return walk(value, '', new Set(secretPaths), 0);
}

// A path matches when it is a listed path or ends with one after a dot.
function listed(path: string, paths: ReadonlySet<string>): boolean {
  if (paths.has(path)) return true;
  for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
    if (paths.has(path.slice(i + 1))) return true;
  }
  return false;
}

function walk(value: unknown, path: string, paths: ReadonlySet<string>, depth: number): unknown {
  if (depth > 64) return REDACTED; // Deeper than any schema allows: keep nothing.
  if (Array.isArray(value)) {
    const itemPath = `${path}[]`;
    return value.map((item) =>
      listed(itemPath, paths) ? mask(item) : walk(item, itemPath, paths, depth + 1),
    );
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = path === '' ? key : `${path}.${key}`;
    out[key] =
      listed(innerPath, paths) || isSecretKeyName(key)
        ? mask(inner)
        : walk(inner, innerPath, paths, depth + 1);
  }
  return out;
}

function mask(value: unknown): unknown {
  return value === null || value === undefined ? value : REDACTED;
}
