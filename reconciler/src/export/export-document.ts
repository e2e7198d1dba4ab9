import { applyOrder, getKind, type KindInfo, type SchemaNode } from '@telform/schemas';
import { formatPlatformRef } from '../adopt/platform-ref.js';
import { platformReferences, specFromPlatform, SpecError } from '../adopt/platform-spec.js';
import { getAt, setAt, valuesAt } from '../store/attribute-paths.js';
import type { PlatformSnapshot, SnapshotObject } from './platform-snapshot.js';
import { assignNames, type NameableResource } from './resource-names.js';

/** A reference to another exported resource's id: `telform_user.alice.id`. */
export class ExportReference {
  constructor(readonly address: string) {}
}

/** A write-only value taken from a map variable by resource name, null when absent. */
export class ExportSecret {
  constructor(
    readonly variable: string,
    readonly key: string,
  ) {}
}

/** One resource of the configuration, with the id its `import` block names. */
export interface ExportBlock {
  readonly kind: string;
  readonly name: string;
  /** `telform_<kind>.<name>` */
  readonly address: string;
  /** The telform id for a managed object, its platform reference for an unmanaged one. */
  readonly importId: string;
  readonly managed: boolean;
  /** In schema order; values are JSON, {@link ExportReference} or {@link ExportSecret}. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A `map(string)` variable holding one write-only attribute of a kind, by resource name. */
export interface ExportVariable {
  readonly name: string;
  readonly kind: string;
  readonly attribute: string;
}

/** A platform object left out, and why (telform's schema refuses what the platform holds). */
export interface SkippedObject {
  readonly kind: string;
  readonly platformRef: string;
  readonly message: string;
}

export interface ExportDocument {
  /** Owners and referenced resources first (apply order), then in platform order. */
  readonly blocks: readonly ExportBlock[];
  readonly variables: readonly ExportVariable[];
  readonly skipped: readonly SkippedObject[];
}

const keyOf = (kind: string, externalId: string) => `${kind}:${externalId}`;

/**
 * The Terraform configuration that adopts a platform snapshot as it is, independent of the
 * syntax it is written in. Each object's attributes are what the platform holds (computed ones
 * and secrets left out, see `specFromPlatform`), plus the desired-only attributes of its
 * managing resource (`password_wo_version`), so the plan after import shows no change.
 * References become {@link ExportReference}s; every write-only attribute whose object is present
 * reads its own variable ({@link ExportSecret}), null until the user supplies a value.
 */
export function buildExportDocument(snapshot: PlatformSnapshot): ExportDocument {
  const order = applyOrder();
  const ranked = snapshot.objects
    .map((o, i) => ({ o, i, rank: order.indexOf(o.kind) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((r) => r.o);
  const skipped: SkippedObject[] = [];
  const specs = new Map<SnapshotObject, Record<string, unknown>>();
  for (const object of ranked) {
    try {
      specs.set(object, specOf(object));
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      skipped.push({ kind: object.kind, platformRef: platformRefOf(object), message: err.message });
    }
  }
  const kept = ranked.filter((o) => specs.has(o));
  const accountKey = new Map<string, string>();
  for (const o of kept) {
    if (o.kind === 'account' || o.kind === 'sub_account') {
      accountKey.set(o.externalId, keyOf(o.kind, o.externalId));
    }
  }
  const names = assignNames(kept.map((o) => nameable(o, specs.get(o)!, accountKey)));
  const addresses = new Map(
    kept.map((o) => {
      const key = keyOf(o.kind, o.externalId);
      return [key, `telform_${o.kind}.${names.get(key)}`];
    }),
  );
  const variables = new Map<string, ExportVariable>();
  const blocks: ExportBlock[] = [];
  for (const object of kept) {
    const info = getKind(object.kind);
    const key = keyOf(object.kind, object.externalId);
    const name = names.get(key)!;
    const spec = specs.get(object)!;
    const missing = linkReferences(info, spec, addresses);
    if (missing !== undefined) {
      skipped.push({ kind: object.kind, platformRef: platformRefOf(object), message: missing });
      continue;
    }
    for (const attribute of info.secrets) {
      if (attribute.includes('[]')) continue;
      const parent = attribute.includes('.') ? attribute.slice(0, attribute.lastIndexOf('.')) : '';
      if (parent !== '' && !isObject(getAt(spec, parent))) continue;
      const variable = `${object.kind}_${attribute.replaceAll('.', '_')}`;
      variables.set(variable, { name: variable, kind: object.kind, attribute });
      setAt(spec, attribute, new ExportSecret(variable, name));
    }
    blocks.push({
      kind: object.kind,
      name,
      address: addresses.get(key)!,
      importId: object.managed?.id ?? platformRefOf(object),
      managed: object.managed !== undefined,
      attributes: inSchemaOrder(info.schema, spec) as Record<string, unknown>,
    });
  }
  return { blocks, variables: [...variables.values()], skipped };
}

/** The platform reference that adopts an object (`platform:<account>/<object>`). */
export function platformRefOf(object: SnapshotObject): string {
  return formatPlatformRef(object.kind, {
    account: object.accountExternalId ?? object.externalId,
    object: object.externalId,
  });
}

function specOf(object: SnapshotObject): Record<string, unknown> {
  const info = getKind(object.kind);
  // References stay platform ids here; linkReferences turns them into addresses.
  const spec = specFromPlatform(info, object.attributes, object.accountExternalId, (id) => id);
  for (const attribute of info.desiredOnly) {
    for (const { path, value } of valuesAt(object.managed?.spec ?? {}, attribute)) {
      setAt(spec, path, value);
    }
  }
  return spec;
}

function nameable(
  object: SnapshotObject,
  spec: Record<string, unknown>,
  accountKey: ReadonlyMap<string, string>,
): NameableResource {
  const info = getKind(object.kind);
  const owner = object.accountExternalId;
  // A seat (nothing readable) is named after the first object it references: its user.
  const first = platformReferences(info, spec)[0];
  const target = first && keyOf(first.kinds[0]!, first.platformId);
  return {
    id: keyOf(object.kind, object.externalId),
    kind: object.kind,
    account_id: owner === null ? null : (accountKey.get(owner) ?? null),
    spec,
    ...(target ? { nameFrom: target } : {}),
  };
}

/** Replaces every reference by its address; returns why not when one points outside the export. */
function linkReferences(
  info: KindInfo,
  spec: Record<string, unknown>,
  addresses: ReadonlyMap<string, string>,
): string | undefined {
  for (const ref of info.references) {
    for (const { path, value } of valuesAt(spec, ref.attribute)) {
      const items = Array.isArray(value) ? value : [value];
      const linked: unknown[] = [];
      for (const item of items) {
        if (typeof item !== 'string') return `${path} holds ${JSON.stringify(item)}`;
        const address = ref.kinds
          .map((kind) => addresses.get(keyOf(kind, item)))
          .find((a) => a !== undefined);
        if (address === undefined) {
          return `${path} refers to platform object ${item}, outside the exported accounts: export the account that holds it too`;
        }
        linked.push(new ExportReference(address));
      }
      setAt(spec, path, Array.isArray(value) ? linked : linked[0]);
    }
  }
  return undefined;
}

// Schema order is the docs' order; keys the schema does not know follow as given.
function inSchemaOrder(node: SchemaNode | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => inSchemaOrder(node?.items, item));
  if (!isObject(value)) return value;
  const properties = node?.properties ?? {};
  const keys = [
    ...Object.keys(properties).filter((k) => k in value),
    ...Object.keys(value).filter((k) => !(k in properties)),
  ];
  return Object.fromEntries(keys.map((k) => [k, inSchemaOrder(properties[k], value[k])]));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof ExportReference) &&
  !(value instanceof ExportSecret);
