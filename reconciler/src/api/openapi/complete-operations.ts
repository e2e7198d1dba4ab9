/* eslint-disable @typescript-eslint/no-explicit-any -- walks a plain JSON document */

/**
 * Adds to every operation of an OpenAPI document what the API's shared hooks do for every
 * route, so no route has to repeat it: the X-Request-Id parameter and answer header; the
 * problem responses each operation can give (400 from the input gate; 401, 403 and 429 when a
 * token is needed; 404 with path parameters; 412 with If-Match; 413, 415 and 422 with a body);
 * rate-limit headers on every answer of limited routes; ETag on answers that carry a resource; and
 * Idempotent-Replayed where an Idempotency-Key is accepted. Statuses a route declares itself
 * are kept as they are.
 */
export function completeOperations(doc: any): any {
  for (const pathItem of Object.values<any>(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries<any>(pathItem)) {
      if (!httpMethods.has(method)) continue;
      completeOperation(operation, doc.security ?? []);
    }
  }
  for (const schema of Object.values<any>(doc.components?.schemas ?? {}))
    declareConditionals(schema);
  dropUnused(doc, 'responses');
  dropUnused(doc, 'headers');
  return doc;
}

const httpMethods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

function completeOperation(operation: any, defaultSecurity: unknown[]): void {
  const params: any[] = (operation.parameters ??= []);
  const has = (where: string, name: string) =>
    params.some((p) => p.in === where && String(p.name).toLowerCase() === name.toLowerCase());
  if (!has('header', 'x-request-id')) params.push(ref('parameters', 'XRequestId'));
  const secured = (operation.security ?? defaultSecurity).length > 0;
  const idempotent = has('header', 'idempotency-key');

  const statuses = [400, 500];
  if (secured) statuses.push(401, 403, 429);
  if (params.some((p) => p.in === 'path')) statuses.push(404);
  if (has('header', 'if-match')) statuses.push(412);
  if (operation.requestBody) statuses.push(413, 415, 422);
  const responses = (operation.responses ??= {});
  for (const status of statuses.sort())
    responses[String(status)] ??= ref('responses', `Problem${status}`);
  responses['4XX'] ??= ref('responses', 'Problem400');
  responses['5XX'] ??= ref('responses', 'Problem500');

  for (const [status, response] of Object.entries<any>(responses)) {
    if (response.$ref) continue;
    const headers = (response.headers ??= {});
    headers['X-Request-Id'] ??= ref('headers', 'XRequestId');
    if (secured) {
      headers['X-RateLimit-Limit'] ??= ref('headers', 'RateLimitLimit');
      headers['X-RateLimit-Remaining'] ??= ref('headers', 'RateLimitRemaining');
      headers['X-RateLimit-Reset'] ??= ref('headers', 'RateLimitReset');
    }
    if (!status.startsWith('2')) continue;
    if (carriesResource(response)) headers.ETag ??= ref('headers', 'ETag');
    if (idempotent) headers['Idempotent-Replayed'] ??= ref('headers', 'IdempotentReplayed');
  }
}

function carriesResource(response: any): boolean {
  const media = response.content?.['application/json']?.schema;
  return media?.$ref === '#/components/schemas/telform-resource';
}

/**
 * `if: {...}, then: {required: [days]}` names a property the enclosing schema defines; lint
 * rules that read `then` alone (Redocly's no-required-schema-properties-undefined) miss the
 * enclosing one, so each such name is declared in `then` too, as `{}` (which changes nothing).
 */
function declareConditionals(node: any): void {
  if (Array.isArray(node)) return node.forEach(declareConditionals);
  if (node === null || typeof node !== 'object') return;
  for (const branch of [node.then, node.else]) {
    if (!branch || !Array.isArray(branch.required)) continue;
    const properties = (branch.properties ??= {});
    for (const name of branch.required) properties[name] ??= {};
  }
  for (const value of Object.values(node)) declareConditionals(value);
}

// The catalogue names statuses no operation gives yet (405, 406: answered by the router).
function dropUnused(doc: any, kind: 'responses' | 'headers'): void {
  const components = doc.components?.[kind] ?? {};
  const text = JSON.stringify(doc);
  for (const name of Object.keys(components)) {
    if (!text.includes(`"#/components/${kind}/${name}"`)) delete components[name];
  }
}
