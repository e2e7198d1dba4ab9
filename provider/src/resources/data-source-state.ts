/**
 * The state of a data source from the API's answer: `limits` and `seat_usage` (and the other
 * read-only kinds) come from /v1/accounts/{id}/<kind>, `telform_drift` from /v1/drift.
 */
import type { TelformClient } from '../client/telform-client.js';
import {
  platformActivityState,
  platformActivityTypeName,
  type PlatformActivityConfig,
} from './platform-activity-data-source.js';
import type { DataSourceType } from './resource-types.js';

type ObjectValue = Record<string, unknown>;

interface DriftRecord {
  readonly resource_id: string;
  readonly kind: string;
  readonly fields: readonly { field: string; desired: unknown; actual: unknown }[];
  readonly action: string;
  readonly state?: string;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
  readonly platform_change?: { readonly actor: string; readonly at: string } | null;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Open drift of an account, one record per differing field. */
export function driftState(
  accountId: string,
  report: { records?: readonly DriftRecord[] },
): ObjectValue {
  const open = (report.records ?? []).filter((r) => r.state === undefined || r.state === 'open');
  const records = open.flatMap((r) =>
    r.fields.map((f) => ({
      resource_id: r.resource_id,
      kind: r.kind,
      field: f.field,
      desired: json(f.desired),
      actual: json(f.actual),
      first_seen_at: r.first_seen_at,
      last_seen_at: r.last_seen_at,
      action: r.action,
      platform_actor: r.platform_change?.actor ?? null,
      platform_changed_at: r.platform_change?.at ?? null,
    })),
  );
  return { account_id: accountId, drifted_resources: open.length, records };
}

/**
 * The data source's arguments as the API's query: every set attribute of the configuration
 * other than `account_id` and the computed ones (`since`, `until`, `search`, `webhook_id`).
 */
export function dataSourceQuery(
  type: DataSourceType,
  config: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const computed = new Set(type.kind?.computed ?? []);
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(config)) {
    if (name === 'account_id' || computed.has(name) || value === null || value === undefined)
      continue;
    query[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return query;
}

export async function readDataSourceState(
  client: TelformClient,
  type: DataSourceType,
  config: Readonly<Record<string, unknown>> & { readonly account_id: string },
): Promise<ObjectValue> {
  const accountId = config.account_id;
  if (type.typeName === platformActivityTypeName)
    return platformActivityState(client, config as PlatformActivityConfig);
  if (!type.kind)
    return driftState(accountId, (await client.drift(accountId)) as { records?: DriftRecord[] });
  const data = await client.accountData(
    accountId,
    type.kind.kind.replace(/_/g, '-'),
    dataSourceQuery(type, config),
  );
  // The arguments stay as configured; the answer fills the computed attributes (null in config).
  return { ...config, ...data, account_id: accountId };
}
