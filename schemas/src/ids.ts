/**
 * telform ids: `<kind>_<26 lowercase ULID chars>`, such as `user_01jd8x3k...`. Sortable by
 * creation time, and the kind can be read back from the id.
 */
import { ulid } from 'ulid';

const KIND = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
// Crockford base32, lowercase: no i, l, o or u.
const ID = /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_([0-9a-hjkmnp-tv-z]{26})$/;

/** A new id for a resource of `kind`. */
export function newId(kind: string): string {
  if (!KIND.test(kind)) {
    throw new Error(`cannot make an id for kind "${kind}": a kind is snake_case, such as "user"`);
  }
  return `${kind}_${ulid().toLowerCase()}`;
}

/** The kind an id was made for, or undefined when `id` is not a telform id. */
export function kindOfId(id: string): string | undefined {
  return ID.exec(id)?.[1];
}

/** Whether `value` is a telform id, of one of `kinds` when given. */
export function isId(value: unknown, kinds?: readonly string[]): value is string {
  if (typeof value !== 'string') return false;
  const kind = kindOfId(value);
  return kind !== undefined && (kinds === undefined || kinds.includes(kind));
}
