import type { FastifySchemaCompiler } from 'fastify';
import { getKind, validateResource } from '@telform/schemas';
import { cloneJson, removeAt, valuesAt } from '../store/attribute-paths.js';
import { ProblemError } from './problem.js';

/**
 * A route-level validatorCompiler for resource bodies: the body schema the route declares (a
 * `$ref` to the kind's schema, for /openapi.json) is checked by `validateResource`, the
 * catalogue's own validator with telform's rules and messages. On update a secret set to null
 * means "clear it", so nulls of write-only attributes are taken out before validating. The
 * route's other parts (a string `:id` param) are free-form.
 */
export function kindBodyValidator(
  kind: string,
  mode: 'create' | 'update',
): FastifySchemaCompiler<unknown> {
  const secrets = getKind(kind).secrets;
  return ({ httpPart }) => {
    if (httpPart !== 'body') return () => true;
    return (body: unknown) => {
      const candidate = mode === 'update' ? withoutNullSecrets(body, secrets) : body;
      const result = validateResource(kind, candidate, mode);
      if (result.ok) return true;
      const detail = result.errors.map((e) => e.message).join('; ');
      return { error: new ProblemError('validation_failed', detail, result.errors) };
    };
  };
}

function withoutNullSecrets(body: unknown, secrets: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const copy = cloneJson(body as Record<string, unknown>);
  for (const path of secrets) {
    for (const found of valuesAt(copy, path)) if (found.value === null) removeAt(copy, found.path);
  }
  return copy;
}
