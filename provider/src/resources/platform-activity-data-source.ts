/**
 * `telform_platform_activity`: the platform's own activity log of an account (GET
 * /v1/accounts/{id}/platform-activity), with the platform's filters, so an audit configuration
 * reads console sign-ins, 2FA, API-key, user and team events beside telform's trail. Not a kind:
 * its schema is written here.
 */
import type { TelformClient } from '../client/telform-client.js';
import type { JsonSchema, JsonSchemaAttribute } from '../protocol/cty-type.js';

export const platformActivityTypeName = 'telform_platform_activity';

const attr = (
  type: JsonSchemaAttribute['type'],
  description: string,
  how: 'computed' | 'optional' | 'required',
): JsonSchemaAttribute => ({ type, description, description_kind: 'markdown', [how]: true });

const filter = (description: string) => attr('string', description, 'optional');

export const platformActivitySchema: JsonSchema = {
  version: 0,
  block: {
    description:
      "The platform's activity log of an account, newest first: who did what, when and from where.",
    description_kind: 'markdown',
    attributes: {
      account_id: attr('string', 'The account (or sub-account) whose log to read.', 'required'),
      from: filter('Entries at or after this ISO 8601 time.'),
      to: filter('Entries at or before this ISO 8601 time.'),
      events: attr(['list', 'string'], 'Event names (`user.login`, `2fa.disable`).', 'optional'),
      type: filter('`read` or `write` only.'),
      resource: filter('Prefix of the platform resource (`user/`, `user/u-12`).'),
      actor: filter('Prefix of the actor (`console`, `partner`).'),
      outcome: filter('`success`, `failure` or `denied`.'),
      ip: filter('A full or partial IP address.'),
      max_entries: attr('number', 'How many entries to read at most (default 100).', 'optional'),
      entries: {
        description: 'Matching entries, newest first.',
        description_kind: 'markdown',
        computed: true,
        nested_type: {
          nesting_mode: 'list',
          attributes: {
            id: attr('string', "The platform's entry number.", 'computed'),
            at: attr('string', 'When it happened.', 'computed'),
            event: attr('string', '`<kind>.<verb>`, such as `user.update`.', 'computed'),
            type: attr('string', '`read` or `write`.', 'computed'),
            resource: attr('string', 'What the platform calls the resource.', 'computed'),
            resource_id: attr('string', 'The telform resource managing it, if any.', 'computed'),
            actor: attr('string', 'Who: `console:<user>`, `partner`, ...', 'computed'),
            outcome: attr('string', '`success`, `failure` or `denied`.', 'computed'),
            ip: attr('string', 'From where (null when unknown).', 'computed'),
          },
        },
      },
    },
  },
};

export interface PlatformActivityConfig {
  readonly account_id: string;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly events?: readonly string[] | null;
  readonly type?: string | null;
  readonly resource?: string | null;
  readonly actor?: string | null;
  readonly outcome?: string | null;
  readonly ip?: string | null;
  readonly max_entries?: number | null;
}

const entryKeys = [
  'id',
  'at',
  'event',
  'type',
  'resource',
  'resource_id',
  'actor',
  'outcome',
  'ip',
];

/** The data source's state: the configuration as given, with the entries read page by page. */
export async function platformActivityState(
  client: TelformClient,
  config: PlatformActivityConfig,
): Promise<Record<string, unknown>> {
  const max = Math.max(1, Math.min(100_000, Math.floor(config.max_entries ?? 100)));
  const query: Record<string, string | undefined> = {};
  for (const name of ['from', 'to', 'type', 'resource', 'actor', 'outcome', 'ip'] as const) {
    const value = config[name];
    if (typeof value === 'string' && value !== '') query[name] = value;
  }
  if (config.events && config.events.length > 0) query.event = config.events.join(',');
  const entries: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  while (entries.length < max) {
    const page = (await client.platformActivity(config.account_id, {
      ...query,
      limit: String(Math.min(1000, max - entries.length)),
      ...(cursor ? { cursor } : {}),
    })) as { entries: Record<string, unknown>[]; next_cursor: string | null };
    for (const e of page.entries)
      entries.push(Object.fromEntries(entryKeys.map((k) => [k, e[k] ?? null])));
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return {
    account_id: config.account_id,
    from: config.from ?? null,
    to: config.to ?? null,
    events: config.events ?? null,
    type: config.type ?? null,
    resource: config.resource ?? null,
    actor: config.actor ?? null,
    outcome: config.outcome ?? null,
    ip: config.ip ?? null,
    max_entries: config.max_entries ?? null,
    entries: entries.slice(0, max),
  };
}
