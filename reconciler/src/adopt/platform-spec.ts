import { validateResource, type KindInfo } from '@telform/schemas';
import type { Attributes } from '../driver/platform-driver.js';
import { cloneJson, getAt, removeAt, setAt, valuesAt } from '../store/attribute-paths.js';

/** A reference a platform object holds: a platform id of one of `kinds`, at `field`. */
export interface PlatformReference {
  readonly field: string;
  readonly platformId: string;
  readonly kinds: readonly string[];
}

/**
 * The platform ids an object's attributes reference, besides its owning account (which the
 * platform path names). Arrays of ids give one entry per item, with its index in `field`.
 */
export function platformReferences(info: KindInfo, attributes: Attributes): PlatformReference[] {
  const found: PlatformReference[] = [];
  for (const ref of info.references) {
    if (ref.attribute === 'account_id') continue;
    for (const { path, value } of valuesAt(attributes, ref.attribute)) {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        if (typeof item !== 'string') return;
        const field = Array.isArray(value) ? `${path}[${i}]` : path;
        found.push({ field, platformId: item, kinds: ref.kinds });
      });
    }
  }
  return found;
}

export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    message: string,
    readonly field: string,
    readonly rule: string,
  ) {
    super(message);
  }
}

/**
 * The desired spec that says exactly what the platform holds, for an adopted object:
 * - computed attributes dropped (the platform sets them), and so are desired-only ones
 *   (`*_wo_version`: telform's bookkeeping) and attributes the schema does not declare;
 * - secrets absent (the platform never returns them): telform does not manage them until the
 *   configuration sets one, and meanwhile the platform keeps its own value;
 * - `account_id` set to the owner's telform id, other references translated by `telformIdOf`
 *   (every one must be known: adopt the referenced objects first).
 * The result passes the kind's schema in `update` mode (omitted secrets are kept), or this
 * throws {@link SpecError} naming the first field the schema refuses.
 */
export function specFromPlatform(
  info: KindInfo,
  attributes: Attributes,
  ownerId: string | null,
  telformIdOf: (platformId: string, kinds: readonly string[]) => string | undefined,
): Record<string, unknown> {
  const declared = info.schema.properties;
  const spec = Object.fromEntries(
    Object.entries(cloneJson(attributes)).filter(([name]) => name in declared),
  ) as Record<string, unknown>;
  for (const attribute of [...info.computed, ...info.desiredOnly, ...info.secrets]) {
    // Deepest first, so removing one array item's attribute never shifts another's path.
    for (const { path } of valuesAt(spec, attribute).reverse()) removeAt(spec, path);
  }
  delete spec.account_id;
  if (ownerId !== null) spec.account_id = ownerId;
  for (const ref of platformReferences(info, spec)) {
    const id = telformIdOf(ref.platformId, ref.kinds);
    if (id === undefined) {
      throw new SpecError(
        `${ref.field} refers to platform object ${ref.platformId}, which telform does not manage`,
        ref.field,
        'reference',
      );
    }
    const indexed = /^(.*)\[(\d+)\]$/.exec(ref.field);
    if (indexed) {
      const list = getAt(spec, indexed[1]!) as unknown[];
      list[Number(indexed[2])] = id;
    } else setAt(spec, ref.field, id);
  }
  const checked = validateResource(info.kind, spec, 'update');
  if (!checked.ok) {
    const first = checked.errors[0]!;
    throw new SpecError(
      `the platform's ${info.kind} does not fit telform's schema: ${first.message}`,
      first.field,
      first.rule,
    );
  }
  return spec;
}
