/**
 * cty values over msgpack and JSON, as Terraform exchanges them. Values are plain JS (null,
 * string, number, boolean, arrays, objects) plus `unknownValue`. Unknown is written as msgpack
 * extension 0; on reading, ANY extension type is unknown, because Terraform 1.11 also sends
 * refined unknowns (extension 12).
 */
import { decode, encode, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import type { CtyType } from './cty-type.js';
import { unknownValue } from './unknown-value.js';

const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (value: unknown) => (value === unknownValue ? new Uint8Array([0]) : null),
  decode: () => unknownValue,
});

/** Decodes a msgpack DynamicValue into a value shaped by `type`. Empty bytes mean null. */
export function decodeMsgpack(bytes: Uint8Array | undefined, type: CtyType): unknown {
  if (!bytes || bytes.length === 0) return null;
  return conform(decode(bytes, { extensionCodec: codec }), type, '');
}

/** Encodes `value` (conformed to `type` first) as msgpack. */
export function encodeMsgpack(value: unknown, type: CtyType): Uint8Array {
  return encode(conform(value, type, ''), { extensionCodec: codec });
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
  if (value === null || value === undefined) return null;
  if (value === unknownValue || value instanceof ExtData) return unknownValue;
  if (typeof type === 'string') return scalar(value, type, path);
  const [kind, inner] = type;
  if (kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(path, 'an object');
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, attributeType] of Object.entries(inner)) {
      out[name] = conform(source[name], attributeType, path ? `${path}.${name}` : name);
    }
    return out;
  }
  if (kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(path, 'a map');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = conform(item, inner, `${path}.${key}`);
    return out;
  }
  if (!Array.isArray(value)) throw mismatch(path, `a ${kind}`);
  return value.map((item, index) => conform(item, inner, `${path}[${index}]`));
}

function scalar(value: unknown, type: 'string' | 'number' | 'bool', path: string): unknown {
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      // Terraform converts config numbers and bools to strings for string attributes; so does this.
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw mismatch(path, 'a string');
    case 'number': {
      // cty writes numbers that fit neither int64 nor float64 exactly as strings.
      const number = typeof value === 'string' ? Number(value) : value;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
      if (typeof number === 'bigint') return Number(number);
      throw mismatch(path, 'a number');
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      throw mismatch(path, 'a bool');
  }
}

function mismatch(path: string, expected: string): Error {
  return new Error(`value at "${path || '(root)'}" is not ${expected}`);
}
