/**
 * The operationId of a route that names none (`schema.operationId` wins): the method, then the
 * path's fixed segments, then its parameters, camel-cased, `v1` left out:
 *
 *   operationIdFor('GET', '/v1/jobs/:name/runs')   // 'getJobsRunsByName'
 *   operationIdFor('POST', '/ui/sign-out')         // 'postUiSignOut'
 *
 * Distinct (method, path) pairs give distinct ids, so a new route is covered without ceremony.
 */
export function operationIdFor(method: string, url: string): string {
  const segments = url.split('/').filter((s) => s !== '' && s !== 'v1' && s !== '*');
  const fixed = segments.filter((s) => !isParam(s)).map(pascal);
  const params = segments.filter(isParam).map((s) => pascal(s.replace(/^[:{]|}$/g, '')));
  const by = params.length > 0 ? `By${params.join('And')}` : '';
  return `${method.toLowerCase()}${fixed.join('')}${by}`;
}

/** A kind's name as in operationIds: `sub_account` -> `SubAccount`. */
export const operationName = (kind: string): string => pascal(kind);

// `sign-out` -> `SignOut`.
function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

const isParam = (segment: string) => segment.startsWith(':') || segment.startsWith('{');
