import type { SwaggerOptions } from '@fastify/swagger';
import { telformVersion } from '@telform/schemas/version';
import { cookieAccepted } from '../request-credential.js';
import type { Action } from '../../auth/principal.js';
import { completeOperations } from './complete-operations.js';
import { headers, parameters, problemResponses, securitySchemes } from './openapi-components.js';
import { operationIdFor } from './operation-id.js';

/**
 * How @fastify/swagger builds /openapi.json (OpenAPI 3.1, whose schemas are JSON Schema
 * 2020-12 like the kinds'): every route's own schema (summary, tags, body, responses), then,
 * centrally, an operationId (`schema.operationId`, else from method and path), the security a
 * route takes (none without `config.action`; the console cookie on read GETs) and the headers
 * and problem responses the shared hooks add (complete-operations.ts).
 */
export function openapiOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'telform reconciler API',
        version: telformVersion,
        description:
          'Desired telephony and contact-center settings, their status on the platform, drift, jobs and the audit trail. Errors are RFC 9457 problem details with a stable `code`.',
        license: { name: 'MPL-2.0', identifier: 'MPL-2.0' },
      },
      servers: [
        { url: '/', description: 'The daemon that served this document' },
        {
          url: 'http://{listen}',
          description: 'A daemon at its listen address (`TELFORM_LISTEN`)',
          variables: { listen: { default: '127.0.0.1:7420' } },
        },
      ],
      components: {
        securitySchemes,
        headers,
        parameters,
        responses: problemResponses(),
      } as never,
      security: [{ bearer: [] }],
    },
    // Component names: `telform-resource`, and each kind's name for its schema.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        kindOf(json) ?? (typeof json.$id === 'string' ? json.$id : `schema-${i}`),
    },
    transform: ({ schema, url, route }) => {
      const method = Array.isArray(route.method) ? route.method[0]! : route.method;
      const action = (route.config as { action?: Action } | undefined)?.action;
      const own = (schema ?? {}) as Record<string, unknown>;
      const security =
        action === undefined
          ? []
          : cookieAccepted(method, action)
            ? [{ bearer: [] }, { console_session: [] }]
            : undefined;
      return {
        schema: {
          ...own,
          operationId: own.operationId ?? operationIdFor(method, url),
          ...(security && own.security === undefined ? { security } : {}),
        } as never,
        url,
      };
    },
    transformObject: (documents) =>
      completeOperations(
        structuredClone('openapiObject' in documents ? documents.openapiObject : {}),
      ),
  };
}

function kindOf(json: Record<string, unknown>): string | undefined {
  const note = json['x-telform'] as { kind?: unknown } | undefined;
  return typeof note?.kind === 'string' ? note.kind : undefined;
}
