/**
 * Run-time compilation of a kind schema, for tests that validate against a modified schema
 * (a rule removed, to show that the rule is the one refusing). Products use the validators
 * generated at build time (validate.ts), which cost no compilation.
 */
import type { Ajv } from 'ajv';
import type { KindSchema } from './catalog.js';
import { kindValidator } from './kind-validator.js';
import type { KindValidator } from './validate.js';
import { createAjv } from './validator-ajv.js';

let sharedAjv: Ajv | undefined;

/** Compiles `schema`; `secrets` are its write-only attribute paths (kept on update). */
export function compileKind(schema: KindSchema, secrets: readonly string[] = []): KindValidator {
  sharedAjv ??= createAjv();
  // Without $id, a modified copy of a schema compiles beside the original.
  const { $id: _id, ...anonymous } = schema;
  return kindValidator(sharedAjv.compile(anonymous), schema, secrets);
}
