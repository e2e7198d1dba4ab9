/**
 * Validation of a resource's attributes against its kind's schema, with errors that name the
 * field (a dotted path), the rule and the limit. Each kind is compiled once, on first use.
 */
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import formats from 'ajv-formats';
import { getKind } from './catalog.js';
import type { KindSchema } from './catalog.js';
import { audioFormat } from './audio-format.js';
import { imageDimensions } from './image-dimensions.js';
import { describeError } from './validation-message.js';

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

function base64DecodedBytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

interface ImageLimit {
  readonly width: number;
  readonly height: number;
}

function fitsImage(limit: ImageLimit, data: unknown): boolean {
  if (typeof data !== 'string') return true;
  const size = imageDimensions(Buffer.from(data, 'base64'));
  return size !== undefined && size.width <= limit.width && size.height <= limit.height;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const IMAGE_EXTENSIONS = { png: 'png', gif: 'gif', jpg: 'jpeg', jpeg: 'jpeg' } as const;
const AUDIO_EXTENSIONS = { mp3: 'mp3', wav: 'wav' } as const;

type ContentFormat = (bytes: Uint8Array) => string | undefined;

/**
 * A keyword that checks that a base64 file holds the format its sibling file name says (a
 * text file named .png is refused): the extension maps to the format `detect` must report.
 */
function matchesFileName(detect: ContentFormat, byExtension: Readonly<Record<string, string>>) {
  return (nameProperty: string, data: unknown, _schema?: unknown, context?: DataValidationCxt) => {
    const name = (context?.parentData as Record<string, unknown> | undefined)?.[nameProperty];
    // Not base64 at all is the pattern's error, not this one.
    if (typeof data !== 'string' || typeof name !== 'string' || !BASE64.test(data)) return true;
    const expected = byExtension[name.split('.').pop()!.toLowerCase()];
    if (expected === undefined) return true; // the name's own pattern refuses it
    return detect(Buffer.from(data, 'base64')) === expected;
  };
}

const imageFormat: ContentFormat = (bytes) => imageDimensions(bytes)?.format;

function uniqueBy(key: string, data: unknown): boolean {
  if (!Array.isArray(data)) return true;
  const seen = data.map((item: unknown) => (item as Record<string, unknown> | null)?.[key]);
  return new Set(seen).size === seen.length;
}

function createAjv(): Ajv {
  // strictRequired cannot see the parent's properties from an if/then branch; the catalogue
  // test checks instead that every required name is a declared property.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
  formats.default(ajv);
  // Annotations only: they steer generators and the reconciler, not validation. References
  // are checked by whoever can resolve them: telform ids in the daemon, platform ids in the
  // emulator (the driver hands it resolved values).
  const annotations = [
    'x-telform',
    'x-telform-force-new',
    'x-telform-sensitive',
    'x-telform-references',
    'x-telform-desired-only',
    'x-telform-closed-set',
  ];
  for (const keyword of annotations) {
    ajv.addKeyword({ keyword });
  }
  // Computed attributes are never accepted as input: present at all means refused.
  ajv.removeKeyword('readOnly');
  ajv.addKeyword({ keyword: 'readOnly', schemaType: 'boolean', validate: (s: boolean) => !s });
  ajv.addKeyword({
    keyword: 'x-telform-max-decoded-bytes',
    type: 'string',
    schemaType: 'number',
    validate: (max: number, data: string) => base64DecodedBytes(data) <= max,
  });
  ajv.addKeyword({
    keyword: 'x-telform-max-image-size',
    type: 'string',
    schemaType: 'object',
    validate: fitsImage,
  });
  ajv.addKeyword({
    keyword: 'x-telform-image-format-of',
    type: 'string',
    schemaType: 'string',
    validate: matchesFileName(imageFormat, IMAGE_EXTENSIONS),
  });
  ajv.addKeyword({
    keyword: 'x-telform-audio-format-of',
    type: 'string',
    schemaType: 'string',
    validate: matchesFileName(audioFormat, AUDIO_EXTENSIONS),
  });
  ajv.addKeyword({
    keyword: 'x-telform-unique-by',
    type: 'array',
    schemaType: 'string',
    validate: uniqueBy,
  });
  return ajv;
}

let sharedAjv: Ajv | undefined;

// Array indexes collapse to `[]` to compare a field against catalogue attribute paths.
const toAttributePath = (field: string) => field.replace(/\[\d+\]/g, '[]');

/**
 * Compiles a kind's schema into a validator. `secrets` are the write-only attribute paths: on
 * update, a missing secret is not an error (the stored value is kept).
 */
export function compileKind(schema: KindSchema, secrets: readonly string[] = []): KindValidator {
  sharedAjv ??= createAjv();
  // Without $id, a modified copy of a schema compiles beside the original.
  const { $id: _id, ...anonymous } = schema;
  const check = sharedAjv.compile(anonymous);
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
    validator = compileKind(info.schema, info.secrets);
    validators.set(kind, validator);
  }
  return validator(value, mode);
}
