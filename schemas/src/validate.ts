/**
 * Validation of a resource's attributes against its kind's schema, with errors that name the
 * field (a dotted path), the rule and the limit. The schemas were compiled at build time
 * (`npm run generate`, schemas/generated/validators.ts): nothing compiles at run time.
 */
import * as generated from '../generated/validators.js';
import { getKind } from './catalog.js';
import { kindValidator, type SchemaCheck } from './kind-validator.js';

/** `create`: a full new resource. `update`: a full replacement, where omitted secrets are kept. */
export type ValidationMode = 'create' | 'update';

/** One failed rule. */
export interface ValidationError {
  /** Dotted path of the attribute: `privileges.admin`, `emergency_notification_recipients[2]`. */
  readonly field: string;
  /** The failed JSON Schema keyword (`maximum`, `required`, ...) or telform rule name. */
  readonly rule: string;
  /** A sentence naming the field and the limit, never the submitted value. */
  readonly message: string;
}

export type ValidationResult =
  { readonly ok: true } | { readonly ok: false; readonly errors: readonly ValidationError[] };

/** Validates one kind's attributes. */
export type KindValidator = (value: unknown, mode: ValidationMode) => ValidationResult;

const validators = new Map<string, KindValidator>();

/**
 * Validates `value` as the attributes of a `kind` resource. Refuses computed (`readOnly`)
 * attributes, unknown attributes and every broken rule; throws only on an unknown kind.
 */
export function validateResource(
  kind: string,
  value: unknown,
  mode: ValidationMode,
): ValidationResult {
  let validator = validators.get(kind);
  if (!validator) {
    const info = getKind(kind);
    const check = (generated as unknown as Record<string, SchemaCheck | undefined>)[kind];
    if (!check) throw new Error(`no generated validator for ${kind}: run npm run generate`);
    validator = kindValidator(check, info.schema, info.secrets);
    validators.set(kind, validator);
  }
  return validator(value, mode);
}
