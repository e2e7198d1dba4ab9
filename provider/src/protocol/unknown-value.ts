/** A value Terraform does not know yet (cty's unknown); only the fact is kept, not refinements. */
export const unknownValue: unique symbol = Symbol('unknown');
export type UnknownValue = typeof unknownValue;

export function isUnknown(value: unknown): value is UnknownValue {
  return value === unknownValue;
}

/** True when `value` or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === 'object')
    return Object.values(value).some(containsUnknown);
  return false;
}
