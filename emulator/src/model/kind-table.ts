import { catalog } from '@telform/schemas';
import type { KindInfo, SchemaNode } from '@telform/schemas';
import { errors } from '../errors/error-catalogue.js';

/** How the emulator serves one schema kind. */
export interface EmulatorKind {
  readonly kind: string;
  readonly info: KindInfo;
  /** Path segment of its collection (`users`), or of its document for singletons and data. */
  readonly segment: string;
  /** Prefix of platform ids (`u` gives `u-42`). */
  readonly idPrefix: string;
}

const prefixes: Readonly<Record<string, string>> = {
  account: 'acc',
  sub_account: 'acc',
  user: 'u',
  seat: 'seat',
  domain: 'dom',
  webhook: 'wh',
  sso_connector: 'sso',
  device: 'dev',
  button_template: 'bt',
  location: 'loc',
  notification_subscription: 'ns',
  audio_clip: 'clip',
  playlist: 'pl',
  limit_increase_request: 'lir',
};

function segmentOf(info: KindInfo): string {
  if (info.singleton || info.dataSource || info.kind.endsWith('s')) return info.kind;
  return `${info.kind}s`;
}

/** The kinds of the schema catalogue as the emulator serves them. */
export class KindTable {
  private readonly byKind = new Map<string, EmulatorKind>();
  private readonly bySegment = new Map<string, EmulatorKind>();

  constructor(infos: readonly KindInfo[] = catalog) {
    for (const info of infos) {
      const k: EmulatorKind = {
        kind: info.kind,
        info,
        segment: segmentOf(info),
        idPrefix: prefixes[info.kind] ?? info.kind.replace(/_/g, ''),
      };
      this.byKind.set(k.kind, k);
      this.bySegment.set(k.segment, k);
    }
  }

  all(): IterableIterator<EmulatorKind> {
    return this.byKind.values();
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  get(kind: string): EmulatorKind {
    const k = this.byKind.get(kind);
    if (!k) throw errors.unknownKind(kind);
    return k;
  }

  /** The account-scoped collection at `segment` (`users` -> user). */
  collection(segment: string): EmulatorKind {
    const k = this.bySegment.get(segment);
    if (!k || k.info.singleton || k.info.dataSource || k.info.scope === 'global') {
      throw errors.unknownKind(segment);
    }
    return k;
  }

  /** The singleton settings kind named `kind`. */
  settings(kind: string): EmulatorKind {
    const k = this.byKind.get(kind);
    if (!k || !k.info.singleton) throw errors.unknownKind(kind);
    return k;
  }
}

/** Fills schema defaults into `value`: top-level ones, and inside objects that are present. */
export function applyDefaults(
  node: SchemaNode,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const [name, prop] of Object.entries(node.properties ?? {})) {
    if (out[name] === undefined && prop.default !== undefined && prop.readOnly !== true) {
      out[name] = structuredClone(prop.default);
    } else if (prop.properties && isPlainObject(out[name])) {
      out[name] = applyDefaults(prop, out[name]);
    }
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
