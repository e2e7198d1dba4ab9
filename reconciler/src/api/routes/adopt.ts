import type { FastifyPluginAsync } from 'fastify';
import { kindOfId, managedKinds } from '@telform/schemas';
import type { Adopter, AdoptionExtent } from '../../adopt/adopter.js';
import { parsePlatformRef, PlatformRefError } from '../../adopt/platform-ref.js';
import type { ResourceStore } from '../../resources/resource-store.js';
import { problemResponses } from '../api-schemas.js';
import { ProblemError } from '../problem.js';
import { principalOf } from '../request-context.js';
import { markHiddenByScope } from '../../auth/scope.js';
import { StoreError } from '../../store/store-error.js';
import { platformProblem } from '../platform-problem.js';

export interface AdoptRoutesOptions {
  readonly store: ResourceStore;
  /** Absent (a daemon without a platform): the route answers 503. */
  readonly adopter?: Adopter;
}

interface AdoptBody {
  platform_ref?: string;
  all_accounts?: boolean;
  kind?: string;
  include?: AdoptionExtent;
}

const entry = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    account_id: { type: ['string', 'null'] },
    external_id: { type: 'string' },
    platform_ref: { type: 'string' },
    unmanaged_secrets: { type: 'array', items: { type: 'string' } },
  },
} as const;

/**
 * `POST /v1/adopt`: takes what the platform holds under management without changing it (the
 * provider's import by platform reference, `telform adopt`). Idempotent: what telform manages
 * already is returned, never adopted twice. Auditors may not (it writes desired state).
 */
export const adoptRoutes: FastifyPluginAsync<AdoptRoutesOptions> = async (
  app,
  { store, adopter },
) => {
  app.post<{ Body: AdoptBody }>('/v1/adopt', {
    config: { action: 'resources:write' },
    schema: {
      tags: ['adoption'],
      summary: 'Adopt platform objects: one, an account with its contents, or a whole tree',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          platform_ref: {
            type: 'string',
            maxLength: 300,
            description:
              '`platform:<account id>/<object id>`, or `platform:<account id>` for an account and its singletons (platform ids, as the vendor console shows them).',
          },
          all_accounts: {
            type: 'boolean',
            description:
              'Instead of `platform_ref`: every root account the caller may adopt, each with `include` (an unscoped token: all the platform lists for telform; a scoped token: its own account). One transaction per account; calling again picks up after a failure.',
          },
          kind: {
            type: 'string',
            enum: managedKinds().map((k) => k.kind),
            description:
              'Kind of the object; absent: the reference names an account or sub-account.',
          },
          include: {
            type: 'string',
            enum: ['object', 'contents', 'tree'],
            default: 'object',
            description:
              '`object`: that object alone (with its account and what it references, if unmanaged); `contents`: an account and every unmanaged object it owns; `tree`: the same for its sub-accounts at every depth.',
          },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            resource: {
              $ref: 'telform-resource#',
              description: 'The object `platform_ref` names (absent with `all_accounts`).',
            },
            accounts: {
              type: 'array',
              items: { type: 'string' },
              description:
                'With `all_accounts`: telform ids of the root accounts adopted or managed.',
            },
            adopted: { type: 'array', items: entry },
            platform_calls: { type: 'integer' },
          },
        },
        ...problemResponses,
      },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const { platform_ref: text, all_accounts: all, kind, include = 'object' } = request.body;
      // Bad input is refused as such first; only a valid request is told the platform is missing.
      const ready = () => {
        if (!adopter) throw new ProblemError('not_ready', 'this daemon has no platform driver');
        return adopter;
      };
      if (all === true) {
        if (text !== undefined) {
          throw invalid(
            'platform_ref',
            'exclusive',
            'platform_ref and all_accounts exclude each other',
          );
        }
        if (kind !== undefined) {
          throw invalid('kind', 'exclusive', 'all_accounts adopts accounts: kind does not apply');
        }
        const platform = ready();
        try {
          const result = await platform.adoptAll({
            extent: include,
            scopeAccountId: principal.scopeAccountId,
            actor: principal.name,
            requestId: request.id,
          });
          return {
            accounts: result.accountIds,
            adopted: result.adopted,
            platform_calls: result.platformCalls,
          };
        } catch (err) {
          throw platformProblem(err);
        }
      }
      if (text === undefined) {
        throw invalid(
          'platform_ref',
          'required',
          'platform_ref is required (or all_accounts: true)',
        );
      }
      if (kind === undefined && text.includes('/')) {
        throw invalid('kind', 'required', 'kind is required when platform_ref names an object');
      }
      const ref = parse(kind, text);
      if (
        include !== 'object' &&
        kind !== undefined &&
        !['account', 'sub_account'].includes(kind)
      ) {
        throw invalid(
          'include',
          'account_only',
          `include "${include}" adopts an account or sub_account, not a ${kind}`,
        );
      }
      const platform = ready();
      try {
        const result = await platform.adopt({
          ...(kind === undefined ? {} : { kind }),
          ref,
          extent: include,
          scopeAccountId: principal.scopeAccountId,
          actor: principal.name,
          requestId: request.id,
        });
        const scope = { scopeAccountId: principal.scopeAccountId, revealGeneratedSecrets: true };
        const found = await store.get(kind ?? kindOfId(result.targetId)!, result.targetId, scope);
        return { resource: found, adopted: result.adopted, platform_calls: result.platformCalls };
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

function parse(kind: string | undefined, text: string) {
  try {
    return parsePlatformRef(kind ?? 'account', text);
  } catch (err) {
    if (!(err instanceof PlatformRefError)) throw err;
    throw invalid('platform_ref', 'format', `platform_ref: ${err.message}`);
  }
}

function invalid(field: string, rule: string, message: string): ProblemError {
  return new ProblemError('validation_failed', message, [{ field, rule, message }]);
}
