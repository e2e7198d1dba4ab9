/**
 * Turns an ajv error into a telform `ValidationError`: a dotted field, a rule name and a
 * sentence naming the field and the limit. Never quotes the submitted value, which may be a
 * secret.
 */
import type { ErrorObject } from 'ajv';
import type { KindSchema } from './catalog.js';
import type { ValidationError } from './validate.js';
import { imageDimensions } from './image-dimensions.js';

/** `/privileges/admin` -> `privileges.admin`; `/recipients/2` -> `recipients[2]`. */
export function fieldOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
}

const join = (parent: string, name: string) => (parent ? `${parent}.${name}` : name);
const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');
const parentOf = (field: string) => /^(.*)(\.[^.[]+|\[\d+\])$/.exec(field)?.[1] ?? '';
const chars = (n: unknown) => `${n} character${n === 1 ? '' : 's'}`;

function pointer(root: unknown, path: string): unknown {
  return path
    .split('/')
    .slice(1)
    .reduce<unknown>((node, s) => (node as Record<string, unknown> | undefined)?.[s], root);
}

interface Condition {
  readonly properties?: Record<string, { const?: unknown; enum?: unknown[] }>;
  readonly not?: Condition;
}

function conditionText(condition: Condition, object: string, negate: boolean): string {
  if (condition.not) return conditionText(condition.not, object, !negate);
  const parts = Object.entries(condition.properties ?? {}).map(([name, rule]) => {
    const field = join(object, name);
    if (rule.enum) return `${field} is ${negate ? 'not ' : ''}one of ${list(rule.enum)}`;
    return `${field} is ${negate ? 'not ' : ''}${JSON.stringify(rule.const)}`;
  });
  return parts.join(' and ');
}

// For a rule that lives in a then/else branch: " when <the if condition, or its negation>".
function when(schemaPath: string, schema: KindSchema, object: string): string {
  const match = /^(.*)\/(then|else)\//.exec(schemaPath);
  if (!match) return '';
  const condition = pointer(schema, `${match[1]}/if`.replace(/^#/, '')) as Condition | undefined;
  return condition ? ` when ${conditionText(condition, object, match[2] === 'else')}` : '';
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  integer: 'an integer',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};
const FORMAT_NAMES: Record<string, string> = {
  email: 'an email address',
  uri: 'an absolute URI',
  hostname: 'a host name',
  'date-time': 'an RFC 3339 date-time',
};

function describe(error: ErrorObject, schema: KindSchema, field: string): [string, string] {
  const p = error.params as Record<string, unknown>;
  const subject = field || `the ${schema.title} resource`;
  const s = error.schema as never;
  switch (error.keyword) {
    case 'required': {
      const missing = join(field, String(p.missingProperty));
      return [missing, `${missing} is required${when(error.schemaPath, schema, field)}`];
    }
    case 'additionalProperties': {
      const extra = join(field, String(p.additionalProperty));
      const parent = error.parentSchema as KindSchema | undefined;
      if (parent?.['x-telform-closed-set'] === true) {
        const names = Object.keys(parent.properties ?? {});
        return [extra, `${extra} is not one of the keys of ${subject}: ${names.join(', ')}`];
      }
      return [extra, `${extra} is not an attribute of ${subject}`];
    }
    case 'false schema':
      return [field, `${field} is not allowed${when(error.schemaPath, schema, parentOf(field))}`];
    case 'readOnly':
      return [field, `${field} is computed by the platform or telform and cannot be set`];
    case 'maximum':
      return [field, `${field} must be at most ${s}`];
    case 'minimum':
      return [field, `${field} must be at least ${s}`];
    case 'maxLength':
      return [field, `${field} must be at most ${chars(s)} long`];
    case 'minLength':
      return [field, `${field} must be at least ${chars(s)} long`];
    case 'maxItems':
      return [field, `${field} must have at most ${s} items`];
    case 'minItems':
      return [field, `${field} must have at least ${s} items`];
    case 'uniqueItems':
      return [field, `${field} must not repeat an item (items ${p.j} and ${p.i} are equal)`];
    case 'pattern':
      return [field, `${field} must match the pattern ${s}`];
    case 'format':
      return [field, `${field} must be ${FORMAT_NAMES[String(s)] ?? `in ${s} format`}`];
    case 'enum':
      return [field, `${field} must be one of ${list(s)}`];
    case 'const':
      return [field, `${field} must be ${JSON.stringify(s)}`];
    case 'type': {
      const types = ([] as string[]).concat(s).map((t) => TYPE_NAMES[t] ?? t);
      return [field, `${subject} must be ${types.join(' or ')}`];
    }
    case 'x-telform-max-decoded-bytes':
      return [field, `${field} must decode to at most ${s} bytes`];
    case 'x-telform-image-format-of': {
      const name = join(parentOf(field), String(s));
      return [field, `${field} must hold an image of the format ${name} names (png, gif or jpeg)`];
    }
    case 'x-telform-audio-format-of': {
      const name = join(parentOf(field), String(s));
      return [field, `${field} must hold audio of the format ${name} names (mp3 or wav)`];
    }
    case 'x-telform-unique-by':
      return [field, `${field} must not have two items with the same ${s}`];
    case 'x-telform-max-image-size': {
      const limit = s as { width: number; height: number };
      return [field, `${field} must be at most ${limit.width}x${limit.height} pixels`];
    }
    default:
      return [field, `${subject} ${error.message ?? 'is invalid'} (${error.keyword})`];
  }
}

const RULES: Record<string, string> = {
  'false schema': 'not_allowed',
  'x-telform-max-decoded-bytes': 'max_decoded_bytes',
  'x-telform-max-image-size': 'max_image_dimensions',
  'x-telform-unique-by': 'unique_by',
  'x-telform-image-format-of': 'image_format',
  'x-telform-audio-format-of': 'audio_format',
};

/** The telform error for one ajv error, raised while validating against `schema`. */
export function describeError(error: ErrorObject, schema: KindSchema): ValidationError {
  const [field, message] = describe(error, schema, fieldOf(error.instancePath));
  const rule = RULES[error.keyword] ?? error.keyword;
  if (rule === 'max_image_dimensions' && typeof error.data === 'string') {
    if (!imageDimensions(Buffer.from(error.data, 'base64'))) {
      return { field, rule: 'image_format', message: `${field} must be a PNG, GIF or JPEG image` };
    }
  }
  return { field, rule, message };
}
