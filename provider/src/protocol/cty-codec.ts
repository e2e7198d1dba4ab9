/**
 * cty values over msgpack and JSON, as Terraform exchanges them. Values are plain JS (null,
 * string, number, boolean, arrays, objects) plus `unknownValue`. Unknown is written as msgpack
 * extension 0; on reading, ANY extension type is unknown, because Terraform 1.11 also sends
 * refined unknowns (extension 12).
 */
import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import type { CtyType } from './cty-type.js';
import { unknownValue } from './unknown-value.js';

const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (value: unknown) => (value === unknownValue ? new Uint8Array([0]) : null),
  decode: () => unknownValue,
});

// One encoder and one decoder for the process: `encode`/`decode` made both afresh on every value
// (a buffer and the codec's setup per RPC). Neither call is re-entered: both are synchronous.
const encoder = new Encoder({ extensionCodec: codec });
const decoder = new Decoder({ extensionCodec: codec });

/** Decodes a msgpack DynamicValue into a value shaped by `type`. Empty bytes mean null. */
export function decodeMsgpack(bytes: Uint8Array | undefined, type: CtyType): unknown {
  if (!bytes || bytes.length === 0) return null;
  return conform(decoder.decode(bytes), type, '');
}

/** Encodes `value` (conformed to `type` first) as msgpack, into bytes of its own. */
export function encodeMsgpack(value: unknown, type: CtyType): Uint8Array {
  // `encode` copies out of the encoder's buffer, which the next call reuses.
  return encoder.encode(conform(value, type, ''));
}

/** Decodes a JSON state (as Terraform stores it) into a value shaped by `type`. */
export function decodeJson(bytes: Uint8Array | undefined, type: CtyType): unknown {
  if (!bytes || bytes.length === 0) return null;
  return conform(JSON.parse(Buffer.from(bytes).toString('utf8')), type, '');
}

/**
 * Brings a value to exactly the shape of `type`: every object attribute present (null where
 * unset, extra ones dropped), numbers as numbers, unknown kept. Throws on a value of the wrong
 * kind, naming the path: that is always a bug in the provider or the API, never the user's.
 */
export function conform(value: unknown, type: CtyType, path: string): unknown {
  try {
    return shape(value, type);
  } catch (error) {
    if (!(error instanceof Mismatch)) throw error;
    return mismatchAt(path, error);
  }
}

type Step = readonly ['attribute' | 'key', string] | readonly ['index', number];

/**
 * A value of the wrong kind, on its way up: each level adds its step, so that the path is
 * spelled only for a value that fails, not for every value conformed.
 */
class Mismatch extends Error {
  readonly steps: Step[] = [];
  constructor(readonly expected: string) {
    super(expected);
  }
}

function mismatchAt(path: string, error: Mismatch): never {
  let at = path;
  for (const [kind, step] of error.steps.reverse()) {
    if (kind === 'attribute') at = at ? `${at}.${step}` : step;
    else if (kind === 'key') at = `${at}.${step}`;
    else at = `${at}[${step}]`;
  }
  throw new Error(`value at "${at || '(root)'}" is not ${error.expected}`);
}

/** `error`, with `step` added when it is a mismatch on its way up. */
function through(error: unknown, step: Step): unknown {
  if (error instanceof Mismatch) error.steps.push(step);
  return error;
}

/** Brings one value to the shape of a type; throws a {@link Mismatch} on a value of the wrong kind. */
type Shaper = (value: unknown) => unknown;

// Shapers made once per type: a plan conforms about eight values of each resource, and walking
// the type afresh (Object.entries of every object type, per value) was most of the provider's
// own time in those calls.
const shapers = new WeakMap<object, Shaper>();

function shape(value: unknown, type: CtyType): unknown {
  return shaperOf(type)(value);
}

const scalarShaper =
  (type: 'string' | 'number' | 'bool'): Shaper =>
  (value) =>
    isAbsent(value) ? absent(value) : scalar(value, type);
const scalarShapers = {
  string: scalarShaper('string'),
  number: scalarShaper('number'),
  bool: scalarShaper('bool'),
} as const;

/** Null, undefined or unknown: kept as they are by every shaper (undefined becomes null). */
function isAbsent(value: unknown): boolean {
  return (
    value === null || value === undefined || value === unknownValue || value instanceof ExtData
  );
}

/** What every shaper returns for an absent value. */
function absent(value: unknown): unknown {
  return value === null || value === undefined ? null : unknownValue;
}

function shaperOf(type: CtyType): Shaper {
  if (typeof type === 'string') return scalarShapers[type];
  const cached = shapers.get(type);
  if (cached) return cached;
  const made = makeShaper(type);
  shapers.set(type, made);
  return made;
}

function makeShaper(type: Exclude<CtyType, string>): Shaper {
  const [kind, inner] = type;
  if (kind === 'object') {
    const names = Object.keys(inner);
    const fields = names.map((name) => shaperOf(inner[name]!));
    return (value) => {
      if (isAbsent(value)) return absent(value);
      if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch('an object');
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        try {
          out[name] = fields[i]!(source[name]);
        } catch (error) {
          throw through(error, ['attribute', name]);
        }
      }
      return out;
    };
  }
  const item = shaperOf(inner);
  if (kind === 'map') {
    return (value) => {
      if (isAbsent(value)) return absent(value);
      if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch('a map');
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        try {
          out[key] = item(entry);
        } catch (error) {
          throw through(error, ['key', key]);
        }
      }
      return out;
    };
  }
  return (value) => {
    if (isAbsent(value)) return absent(value);
    if (!Array.isArray(value)) throw new Mismatch(`a ${kind}`);
    const out: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      try {
        out[index] = item(value[index]);
      } catch (error) {
        throw through(error, ['index', index]);
      }
    }
    return out;
  };
}

function scalar(value: unknown, type: 'string' | 'number' | 'bool'): unknown {
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      // Terraform converts config numbers and bools to strings for string attributes; so does this.
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw new Mismatch('a string');
    case 'number': {
      // cty writes numbers that fit neither int64 nor float64 exactly as strings.
      const number = typeof value === 'string' ? Number(value) : value;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
      if (typeof number === 'bigint') return Number(number);
      throw new Mismatch('a number');
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      throw new Mismatch('a bool');
  }
}
