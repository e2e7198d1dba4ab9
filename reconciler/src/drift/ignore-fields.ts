/**
 * Whether `path` (dotted, such as `privileges.admin`) is covered by one of the ignore patterns.
 * A pattern covers its own path and everything under it (`privileges` covers
 * `privileges.admin`); a `*` segment matches any one segment (`*.user_can_configure`).
 */
export function isIgnored(path: string, patterns: readonly string[] = []): boolean {
  if (patterns.length === 0) return false;
  const segments = path.split('.');
  return patterns.some((pattern) => covers(pattern.split('.'), segments));
}

function covers(pattern: readonly string[], segments: readonly string[]): boolean {
  if (pattern.length > segments.length) return false;
  return pattern.every((p, i) => p === '*' || p === segments[i]);
}

/** What an ignore pattern looks like (JSON Schema `pattern` of the policy API). */
export const IGNORE_PATTERN_SOURCE = '^(\\*|[a-z][a-z0-9_]*)(\\.(\\*|[a-z][a-z0-9_]*))*$';
