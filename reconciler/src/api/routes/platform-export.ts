import type { FastifyPluginAsync } from 'fastify';
import {
  exportFormats,
  type ExportFormat,
  type PlatformExporter,
} from '../../export/platform-exporter.js';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import { markHiddenByScope } from '../../auth/scope.js';
import { StoreError } from '../../store/store-error.js';
import { platformProblem } from '../platform-problem.js';

export interface PlatformExportRoutesOptions {
  /** Absent (a daemon without a platform): the route answers 503. */
  readonly exporter?: PlatformExporter;
}

interface ExportQuery {
  account?: string[];
  format?: ExportFormat;
  constructs_module?: string;
}

/**
 * `GET /v1/export/platform`: the platform state of the chosen accounts (managed and unmanaged)
 * as Terraform configuration with import blocks (`telform export --from-platform`). Read-only
 * everywhere; the configuration adopts when Terraform plans its imports.
 */
export const platformExportRoutes: FastifyPluginAsync<PlatformExportRoutesOptions> = async (
  app,
  { exporter },
) => {
  app.get<{ Querystring: ExportQuery }>('/v1/export/platform', {
    config: { action: 'platform:read' },
    schema: {
      tags: ['adoption'],
      summary: 'Export what the platform holds under accounts as Terraform configuration',
      description:
        'Every object of the accounts and their sub-accounts, managed or not, as `resource` blocks with `import` blocks (a telform id for managed objects, a platform reference for the rest); references as resource references; write-only values from `map(string)` variables. Reads the platform by bulk listing only (the list of root accounts too, when no account is named).',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          account: {
            type: 'array',
            minItems: 1,
            maxItems: 1000,
            items: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
            description:
              'An account or sub-account to export with its whole tree, by telform id or platform id; repeat for several. Absent: every root account the caller may export (an unscoped token: all the platform lists for telform; a scoped token: its own account).',
          },
          format: {
            type: 'string',
            enum: [...exportFormats],
            default: 'hcl',
            description:
              '`hcl` (`.tf`), `json` (Terraform JSON, `.tf.json`) or `cdktf` (a TypeScript app).',
          },
          constructs_module: {
            type: 'string',
            minLength: 1,
            maxLength: 300,
            pattern: '^[A-Za-z0-9@._/-]+$',
            description:
              'cdktf only: the module the generated constructs are imported from (default `./.gen/providers/telform/index.js`).',
          },
        },
      },
      response: {
        200: {
          type: 'object',
          required: ['format', 'file_name', 'content', 'resources', 'platform_calls'],
          properties: {
            format: { type: 'string' },
            file_name: {
              type: 'string',
              description: 'The name the content is meant to be saved as.',
            },
            content: { type: 'string' },
            resources: { type: 'integer' },
            managed: { type: 'integer', description: 'Imported by telform id.' },
            unmanaged: { type: 'integer', description: 'Imported by platform reference.' },
            skipped: {
              type: 'array',
              description:
                "Objects left out because telform's schema refuses what the platform holds.",
              items: {
                type: 'object',
                properties: {
                  kind: { type: 'string' },
                  platform_ref: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
            platform_calls: { type: 'integer' },
          },
        },
        ...problemResponses,
      },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      if (!exporter) throw new ProblemError('not_ready', 'this daemon has no platform driver');
      const { account, format = 'hcl', constructs_module: module } = request.query;
      if (module !== undefined && format !== 'cdktf') {
        const message = 'constructs_module applies to format cdktf only';
        throw new ProblemError('validation_failed', message, [
          { field: 'constructs_module', rule: 'cdktf_only', message },
        ]);
      }
      try {
        const out = await exporter.export({
          accounts: account ?? [],
          format,
          scopeAccountId: principal.scopeAccountId,
          ...(module ? { constructsModule: module } : {}),
        });
        return {
          format: out.format,
          file_name: out.fileName,
          content: out.content,
          resources: out.resources,
          managed: out.managed,
          unmanaged: out.unmanaged,
          skipped: out.skipped.map((s) => ({
            kind: s.kind,
            platform_ref: s.platformRef,
            message: s.message,
          })),
          platform_calls: out.platformCalls,
        };
      } catch (err) {
        // A scoped token told "not found" may have named something outside its scope: denied.
        if (err instanceof StoreError && err.code === 'not_found' && principal.scopeAccountId) {
          markHiddenByScope(request);
        }
        throw platformProblem(err);
      }
    },
  });
};
