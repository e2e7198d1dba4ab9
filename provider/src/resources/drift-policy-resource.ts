/**
 * `telform_drift_policy`: the drift policy of one account, sub-account or resource
 * (`/v1/drift/policies/{target_id}`) as code. A policy is not a resource kind, so its schema and
 * its RPCs live here rather than being generated from the catalog; the daemon validates it and
 * audits every change with its target.
 */
import type { TelformClient } from '../client/telform-client.js';
import { Diagnostics } from '../diag/diagnostics.js';
import type { JsonSchema } from '../protocol/cty-type.js';
import { blockType } from '../protocol/cty-type.js';
import {
  fromDynamicValue,
  toDynamicValue,
  type DynamicValueMessage,
} from '../protocol/dynamic-value.js';
import { isUnknown, unknownValue } from '../protocol/unknown-value.js';
import { apiErrorDiagnostics } from '../server/api-error-diagnostics.js';
import type { ProviderServer } from '../server/provider-server.js';

export const driftPolicyTypeName = 'telform_drift_policy';

const attribute = (description: string, extra: object) => ({
  description,
  description_kind: 'markdown' as const,
  ...extra,
});

export const driftPolicySchema: JsonSchema = {
  version: 0,
  block: {
    description:
      'The drift policy of an account, a sub-account or one resource: `report` (record drift) or `correct` (record it and re-apply the desired values), and fields whose platform value is never compared, shown in plans nor overwritten. Unset parts inherit from the owning accounts; ignored fields add up.',
    description_kind: 'markdown',
    attributes: {
      id: attribute("The policy target's id (the same as `target_id`).", {
        type: 'string',
        computed: true,
      }),
      target_id: attribute(
        'The `id` of the account, sub-account or resource the policy governs. Changing it replaces the policy.',
        { type: 'string', required: true },
      ),
      mode: attribute('`report` or `correct`; unset: inherited (`report` at the top).', {
        type: 'string',
        optional: true,
      }),
      ignore_fields: attribute(
        'Dotted attribute paths never compared (a path covers everything under it; `*` matches one segment).',
        { type: ['set', 'string'], optional: true },
      ),
      scan_interval_seconds: attribute(
        'Seconds between two scheduled scans (accounts and sub-accounts only); unset: inherited.',
        { type: 'number', optional: true },
      ),
    },
  },
};

const type = blockType(driftPolicySchema.block);
type Policy = Record<string, unknown>;
type Request = Record<string, unknown> & { type_name: string };

interface PolicyView {
  readonly target_id: string;
  readonly mode: string | null;
  readonly ignore_fields: readonly string[];
  readonly scan_interval_seconds: number | null;
}

const stateOf = (view: PolicyView): Policy => ({
  id: view.target_id,
  target_id: view.target_id,
  mode: view.mode,
  ignore_fields: view.ignore_fields.length > 0 ? [...view.ignore_fields] : null,
  scan_interval_seconds: view.scan_interval_seconds,
});

const decode = (value: unknown) =>
  fromDynamicValue(value as DynamicValueMessage, type) as Policy | null;

async function put(client: TelformClient, planned: Policy): Promise<Policy> {
  const view = (await client.putDriftPolicy(String(planned.target_id), {
    mode: planned.mode ?? null,
    ignore_fields: (planned.ignore_fields as string[] | null) ?? [],
    scan_interval_seconds: planned.scan_interval_seconds ?? null,
  })) as unknown as PolicyView;
  return stateOf(view);
}

/** The six resource RPCs of `telform_drift_policy`, by RPC name. */
export const driftPolicyRpcs: Record<
  string,
  (server: ProviderServer, request: Request) => object | Promise<object>
> = {
  ValidateResourceConfig: (_server, request) => {
    const diagnostics = new Diagnostics();
    const config = decode(request.config);
    const mode = config?.mode;
    if (typeof mode === 'string' && !isUnknown(mode) && mode !== 'report' && mode !== 'correct')
      diagnostics.addAttributeError(
        'mode',
        'Invalid attribute value',
        'mode must be report or correct (rule "enum").',
      );
    const interval = config?.scan_interval_seconds;
    if (
      typeof interval === 'number' &&
      (!Number.isInteger(interval) || interval < 60 || interval > 86_400)
    )
      diagnostics.addAttributeError(
        'scan_interval_seconds',
        'Invalid attribute value',
        'scan_interval_seconds must be an integer from 60 to 86400 (rule "range").',
      );
    return { diagnostics: diagnostics.items };
  },

  UpgradeResourceState: (_server, request) => {
    const raw = (request.raw_state as { json?: Uint8Array } | null)?.json;
    const state =
      raw && raw.length > 0 ? (JSON.parse(Buffer.from(raw).toString('utf8')) as Policy) : null;
    const value = state && {
      ...stateOf({ target_id: '', mode: null, ignore_fields: [], scan_interval_seconds: null }),
      ...state,
    };
    return { upgraded_state: toDynamicValue(value, type), diagnostics: [] };
  },

  ReadResource: async (server, request) => {
    const diagnostics = new Diagnostics();
    const client = server.configuredClient(diagnostics);
    const current = decode(request.current_state);
    if (!client || !current)
      return { new_state: request.current_state, diagnostics: diagnostics.items };
    try {
      const view = (await client.driftPolicy(
        String(current.target_id),
      )) as unknown as PolicyView | null;
      return {
        new_state: toDynamicValue(view && stateOf(view), type),
        private: request.private,
        diagnostics: [],
      };
    } catch (err) {
      apiErrorDiagnostics(
        err,
        `Cannot read the drift policy of ${String(current.target_id)}`,
        diagnostics,
      );
      return {
        new_state: request.current_state,
        private: request.private,
        diagnostics: diagnostics.items,
      };
    }
  },

  PlanResourceChange: (_server, request) => {
    const prior = decode(request.prior_state);
    const proposed = decode(request.proposed_new_state);
    if (!proposed) return { planned_state: toDynamicValue(null, type), diagnostics: [] };
    const planned = {
      ...proposed,
      id: prior && prior.target_id === proposed.target_id ? prior.id : unknownValue,
    };
    const replace =
      prior && prior.target_id !== proposed.target_id
        ? [{ steps: [{ attribute_name: 'target_id' }] }]
        : [];
    return {
      planned_state: toDynamicValue(planned, type),
      requires_replace: replace,
      diagnostics: [],
    };
  },

  ApplyResourceChange: async (server, request) => {
    const diagnostics = new Diagnostics();
    const client = server.configuredClient(diagnostics);
    const prior = decode(request.prior_state);
    const planned = decode(request.planned_state);
    if (!client) return { new_state: request.prior_state, diagnostics: diagnostics.items };
    try {
      if (planned === null) {
        await client.deleteDriftPolicy(String(prior!.target_id));
        return { new_state: toDynamicValue(null, type), diagnostics: [] };
      }
      return { new_state: toDynamicValue(await put(client, planned), type), diagnostics: [] };
    } catch (err) {
      apiErrorDiagnostics(err, 'Cannot write the drift policy', diagnostics);
      return { new_state: request.prior_state, diagnostics: diagnostics.items };
    }
  },

  ImportResourceState: async (server, request) => {
    const diagnostics = new Diagnostics();
    const client = server.configuredClient(diagnostics);
    if (!client) return { diagnostics: diagnostics.items };
    try {
      const view = (await client.driftPolicy(String(request.id))) as unknown as PolicyView | null;
      if (!view) {
        diagnostics.addError(
          'Cannot import non-existent remote object',
          `No drift policy is set on "${String(request.id)}".`,
        );
        return { diagnostics: diagnostics.items };
      }
      return {
        imported_resources: [
          {
            type_name: driftPolicyTypeName,
            state: toDynamicValue(stateOf(view), type),
            private: Buffer.alloc(0),
          },
        ],
        diagnostics: [],
      };
    } catch (err) {
      apiErrorDiagnostics(
        err,
        `Cannot import the drift policy of ${String(request.id)}`,
        diagnostics,
      );
      return { diagnostics: diagnostics.items };
    }
  },
};
