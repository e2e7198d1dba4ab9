/**
 * Turns a schema check (compiled at build time or, in tests, at run time) into a
 * `KindValidator`: ajv errors become telform errors, and on update a missing secret is no error.
 */
import type { ErrorObject } from 'ajv';
import type { KindSchema } from './catalog.js';
import type { KindValidator } from './validate.js';
import { describeError } from './validation-message.js';

/** An ajv validate function: true when valid, else its errors on `errors`. */
export interface SchemaCheck {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// Array indexes collapse to `[]` to compare a field against catalogue attribute paths.
const toAttributePath = (field: string) => field.replace(/\[\d+\]/g, '[]');

/** `secrets` are the write-only attribute paths, kept on update when omitted. */
export function kindValidator(
  check: SchemaCheck,
  schema: KindSchema,
  secrets: readonly string[] = [],
): KindValidator {
  const secretPaths = new Set(secrets);
  return (value, mode) => {
    if (check(value)) return { ok: true };
    const errors = (check.errors ?? [])
      .filter((error: ErrorObject) => error.keyword !== 'if')
      .map((error) => describeError(error, schema))
      .filter(
        (e) =>
          !(
            mode === 'update' &&
            e.rule === 'required' &&
            secretPaths.has(toAttributePath(e.field))
          ),
      );
    if (errors.length === 0) return { ok: true };
    // Two keywords may find one fault (bytes that are no image: no size, no format).
    const seen = new Set<string>();
    const distinct = errors.filter((e) => {
      const key = `${e.field}\u0000${e.rule}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    return { ok: false, errors: distinct };
  };
}
