import { catalog, type KindInfo } from '@telform/schemas';

/**
 * Kinds as the engine orders them: the depth of a kind is 0 when it references nothing, else one
 * more than the deepest kind it references (self-references, a sub-account's parent, ignored).
 * Applies go by increasing depth and deletes by decreasing depth, so parents tend to be on the
 * platform before their children are tried, and children gone before their parents.
 */
export class KindGraph {
  private readonly kinds: ReadonlyMap<string, KindInfo>;
  private readonly depths = new Map<string, number>();

  constructor(kinds: readonly KindInfo[] = catalog) {
    this.kinds = new Map(kinds.map((k) => [k.kind, k]));
    for (const kind of this.kinds.keys()) this.depthOf(kind, new Set());
  }

  get(kind: string): KindInfo {
    const info = this.kinds.get(kind);
    if (!info) throw new Error(`unknown resource kind "${kind}"`);
    return info;
  }

  depth(kind: string): number {
    return this.depths.get(kind) ?? 0;
  }

  names(): string[] {
    return [...this.kinds.keys()];
  }

  private depthOf(kind: string, seen: Set<string>): number {
    const known = this.depths.get(kind);
    if (known !== undefined) return known;
    const info = this.kinds.get(kind);
    if (!info || seen.has(kind)) return 0;
    seen.add(kind);
    const deps = info.references.flatMap((r) => r.kinds).filter((k) => k !== kind);
    const depth = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((k) => this.depthOf(k, seen)));
    this.depths.set(kind, depth);
    return depth;
  }
}
