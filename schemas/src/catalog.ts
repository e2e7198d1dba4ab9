/**
 * The catalogue of resource kinds: every `kinds/<kind>.schema.json`, loaded with static JSON
 * imports (the provider is bundled with esbuild, so nothing is read from disk at run time) and
 * summarised into the facts that generators, the reconciler and the provider need.
 */
import account from '../kinds/account.schema.json' with { type: 'json' };
import accountPlaylist from '../kinds/account_playlist.schema.json' with { type: 'json' };
import audioClip from '../kinds/audio_clip.schema.json' with { type: 'json' };
import buttonTemplate from '../kinds/button_template.schema.json' with { type: 'json' };
import customization from '../kinds/customization.schema.json' with { type: 'json' };
import dataRetention from '../kinds/data_retention.schema.json' with { type: 'json' };
import deletionHistory from '../kinds/deletion_history.schema.json' with { type: 'json' };
import device from '../kinds/device.schema.json' with { type: 'json' };
import domain from '../kinds/domain.schema.json' with { type: 'json' };
import emailBlacklist from '../kinds/email_blacklist.schema.json' with { type: 'json' };
import limitIncreaseRequest from '../kinds/limit_increase_request.schema.json' with { type: 'json' };
import limits from '../kinds/limits.schema.json' with { type: 'json' };
import location from '../kinds/location.schema.json' with { type: 'json' };
import notifications from '../kinds/notifications.schema.json' with { type: 'json' };
import notificationSubscription from '../kinds/notification_subscription.schema.json' with { type: 'json' };
import playlist from '../kinds/playlist.schema.json' with { type: 'json' };
import provisioning from '../kinds/provisioning.schema.json' with { type: 'json' };
import seat from '../kinds/seat.schema.json' with { type: 'json' };
import seatLog from '../kinds/seat_log.schema.json' with { type: 'json' };
import seatUsage from '../kinds/seat_usage.schema.json' with { type: 'json' };
import securityPolicy from '../kinds/security_policy.schema.json' with { type: 'json' };
import smsSettings from '../kinds/sms_settings.schema.json' with { type: 'json' };
import ssoConnector from '../kinds/sso_connector.schema.json' with { type: 'json' };
import subAccount from '../kinds/sub_account.schema.json' with { type: 'json' };
import telephonySettings from '../kinds/telephony_settings.schema.json' with { type: 'json' };
import user from '../kinds/user.schema.json' with { type: 'json' };
import webhook from '../kinds/webhook.schema.json' with { type: 'json' };
import webhookHistory from '../kinds/webhook_history.schema.json' with { type: 'json' };

/** A JSON Schema node as the kind files write it (draft-07 plus telform's annotations). */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  readonly 'x-telform-references'?: readonly string[];
  readonly 'x-telform-force-new'?: boolean;
  readonly 'x-telform-sensitive'?: boolean;
  readonly 'x-telform-desired-only'?: boolean;
  /**
   * An object of booleans whose keys are a closed set (privileges, tabs, webhook rights):
   * Terraform sees it as `map(bool)`, so that a misspelt key reaches validation instead of
   * being dropped by Terraform's object conversion.
   */
  readonly 'x-telform-closed-set'?: boolean;
  readonly [keyword: string]: unknown;
}

/** The top-level `x-telform` annotation of a kind file. */
export interface KindAnnotation {
  readonly kind: string;
  readonly scope: 'global' | 'account';
  readonly singleton: boolean;
  readonly data_source: boolean;
  /** A data source whose API pages (`cursor`, `limit`, `next_cursor`); absent: one answer. */
  readonly paged?: boolean;
  readonly example: Readonly<Record<string, unknown>>;
}

/** A kind file: an object schema with its `x-telform` annotation. */
export interface KindSchema extends SchemaNode {
  readonly $id: string;
  readonly title: string;
  readonly description: string;
  readonly properties: Readonly<Record<string, SchemaNode>>;
  readonly 'x-telform': KindAnnotation;
}

/** An attribute whose value is the `id` of a resource of one of `kinds`. */
export interface KindReference {
  /** Attribute path (see {@link KindInfo}). */
  readonly attribute: string;
  readonly kinds: readonly string[];
}

/**
 * What telform knows about one resource kind.
 *
 * Attribute paths are dotted from the top level (`authentication.password`); an attribute
 * inside the items of an array of objects is written `keys[].value`. An annotation on an array
 * of scalars applies to every item.
 */
export interface KindInfo {
  /** snake_case kind name; the Terraform type is `telform_<kind>`. */
  readonly kind: string;
  readonly title: string;
  readonly description: string;
  /** The kind's JSON Schema, as written in `kinds/<kind>.schema.json`. */
  readonly schema: KindSchema;
  /** `global` only for `account`; every other kind names its `account_id`. */
  readonly scope: 'global' | 'account';
  /** At most one per account. */
  readonly singleton: boolean;
  /** Read-only platform data: no create, update or delete. */
  readonly dataSource: boolean;
  /**
   * A data source read a page at a time: the API takes `cursor` and `limit` and answers
   * `next_cursor`; Terraform reads the newest page.
   */
  readonly paged: boolean;
  /** Attributes that reference other resources (`x-telform-references`); they set apply order. */
  readonly references: readonly KindReference[];
  /** Write-only attributes: accepted, stored encrypted, never returned. */
  readonly secrets: readonly string[];
  /** Attributes masked in plans: the secrets plus those marked `x-telform-sensitive`. */
  readonly sensitive: readonly string[];
  /** Read-only attributes, set by the platform or the daemon (`id` among them). */
  readonly computed: readonly string[];
  /**
   * Read-only sensitive attributes (a platform-generated token): the daemon stores them sealed
   * and shows them only to callers that may read desired state.
   */
  readonly generatedSecrets: readonly string[];
  /**
   * Attributes kept in desired state only (`x-telform-desired-only`, such as
   * `password_wo_version`): never sent to the platform, never compared for drift.
   */
  readonly desiredOnly: readonly string[];
  /** Attributes whose change replaces the resource (`x-telform-force-new`). */
  readonly forceNew: readonly string[];
  /** A valid instance, used in docs and tests. */
  readonly example: Readonly<Record<string, unknown>>;
}

const kindFiles: readonly unknown[] = [
  account,
  accountPlaylist,
  audioClip,
  buttonTemplate,
  customization,
  dataRetention,
  deletionHistory,
  device,
  domain,
  emailBlacklist,
  limitIncreaseRequest,
  limits,
  location,
  notifications,
  notificationSubscription,
  playlist,
  provisioning,
  seat,
  seatLog,
  seatUsage,
  securityPolicy,
  smsSettings,
  ssoConnector,
  subAccount,
  telephonySettings,
  user,
  webhook,
  webhookHistory,
];

interface Collected {
  references: KindReference[];
  secrets: string[];
  sensitive: string[];
  computed: string[];
  generatedSecrets: string[];
  desiredOnly: string[];
  forceNew: string[];
}

function collect(
  properties: Readonly<Record<string, SchemaNode>>,
  prefix: string,
  into: Collected,
) {
  for (const [name, node] of Object.entries(properties)) {
    const path = prefix + name;
    const refs = node['x-telform-references'];
    if (refs) into.references.push({ attribute: path, kinds: refs });
    if (node.writeOnly === true) into.secrets.push(path);
    if (node.writeOnly === true || node['x-telform-sensitive'] === true) into.sensitive.push(path);
    if (node.readOnly === true) into.computed.push(path);
    if (node.readOnly === true && node['x-telform-sensitive'] === true) {
      into.generatedSecrets.push(path);
    }
    if (node['x-telform-desired-only'] === true) into.desiredOnly.push(path);
    if (node['x-telform-force-new'] === true) into.forceNew.push(path);
    if (node.properties) collect(node.properties, `${path}.`, into);
    if (node.items?.properties) collect(node.items.properties, `${path}[].`, into);
  }
}

/** Builds a {@link KindInfo} from a kind file; throws when the annotation is malformed. */
export function describeKind(file: unknown): KindInfo {
  const schema = file as KindSchema;
  const note = schema?.['x-telform'];
  if (!note || typeof note.kind !== 'string' || !schema.properties) {
    throw new Error(`schema ${String(schema?.$id)} lacks an x-telform annotation or properties`);
  }
  if (note.scope !== 'global' && note.scope !== 'account') {
    throw new Error(`kind ${note.kind}: x-telform.scope must be "global" or "account"`);
  }
  const into: Collected = {
    references: [],
    secrets: [],
    sensitive: [],
    computed: [],
    generatedSecrets: [],
    desiredOnly: [],
    forceNew: [],
  };
  collect(schema.properties, '', into);
  return {
    kind: note.kind,
    title: schema.title,
    description: schema.description,
    schema,
    scope: note.scope,
    singleton: note.singleton === true,
    dataSource: note.data_source === true,
    paged: note.paged === true,
    example: note.example,
    ...into,
  };
}

/** Every kind, in a fixed order (alphabetical by kind). */
export const catalog: readonly KindInfo[] = kindFiles
  .map(describeKind)
  .sort((a, b) => a.kind.localeCompare(b.kind));

const byKind = new Map(catalog.map((info) => [info.kind, info]));

/** The kind named `kind`; throws on an unknown kind, listing the known ones. */
export function getKind(kind: string): KindInfo {
  const info = byKind.get(kind);
  if (!info) {
    throw new Error(`unknown kind "${kind}"; known kinds: ${[...byKind.keys()].join(', ')}`);
  }
  return info;
}

/** Kinds that can be created, updated and deleted (Terraform resources). */
export function managedKinds(): readonly KindInfo[] {
  return catalog.filter((info) => !info.dataSource);
}

/** Read-only kinds (Terraform data sources). */
export function dataSourceKinds(): readonly KindInfo[] {
  return catalog.filter((info) => info.dataSource);
}

/**
 * Managed kinds in an order where every kind comes after the kinds it references (creation
 * order; deletion runs it backwards). Self-references (a sub-account's parent) are ignored;
 * ties keep alphabetical order so the result is stable.
 */
export function applyOrder(kinds: readonly KindInfo[] = managedKinds()): string[] {
  const names = new Set(kinds.map((info) => info.kind));
  const pending = new Map(
    kinds.map((info) => [
      info.kind,
      new Set(
        info.references
          .flatMap((ref) => ref.kinds)
          .filter((dep) => dep !== info.kind && names.has(dep)),
      ),
    ]),
  );
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([kind]) => kind);
    if (ready.length === 0) {
      throw new Error(`reference cycle among kinds: ${[...pending.keys()].join(', ')}`);
    }
    const next = ready.sort()[0]!;
    order.push(next);
    pending.delete(next);
    for (const deps of pending.values()) deps.delete(next);
  }
  return order;
}
