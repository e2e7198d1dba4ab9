import type { AttributeSchema } from './compare.js';
import { isIgnored } from './ignore-fields.js';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The attributes to send on an update, where each field the drift policy ignores carries the
 * platform's own value (or is left out when the platform holds none), so a correction or a
 * re-apply never overwrites what was chosen in the console for it. `desired` is not mutated.
 */
export function keepIgnoredFields(
  schema: AttributeSchema,
  desired: Readonly<Json>,
  observed: Readonly<Json>,
  ignoreFields: readonly string[],
  prefix = '',
): Json {
  if (ignoreFields.length === 0) return { ...desired };
  const out: Json = { ...desired };
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix + name;
    if (isIgnored(path, ignoreFields)) {
      if (observed[name] === undefined || observed[name] === null) delete out[name];
      else out[name] = structuredClone(observed[name]);
    } else if (prop.properties && isRecord(desired[name])) {
      const have = isRecord(observed[name]) ? observed[name] : {};
      out[name] = keepIgnoredFields(prop, desired[name], have, ignoreFields, `${path}.`);
    }
  }
  return out;
}
