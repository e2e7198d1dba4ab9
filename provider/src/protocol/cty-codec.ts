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

function shape(value: unknown, type: CtyType): unknown {
  if (value === null || value === undefined) return null;
  if (value === unknownValue || value instanceof ExtData) return unknownValue;
  if (typeof type === 'string') return scalar(value, type);
  const [kind, inner] = type;
  if (kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch('an object');
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, attributeType] of Object.entries(inner)) {
      try {
        out[name] = shape(source[name], attributeType);
      } catch (error) {
        throw through(error, ['attribute', name]);
      }
    }
    return out;
  }
  if (kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) throw new Mismatch('a map');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      try {
        out[key] = shape(item, inner);
      } catch (error) {
        throw through(error, ['key', key]);
      }
    }
    return out;
  }
  if (!Array.isArray(value)) throw new Mismatch(`a ${kind}`);
  const out: unknown[] = [];
  for (let index = 0; index < value.length; index++) {
    try {
      out.push(shape(value[index], inner));
    } catch (error) {
      throw through(error, ['index', index]);
    }
  }
  return out;
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
