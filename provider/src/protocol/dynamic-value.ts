/** tfplugin6 `DynamicValue`: msgpack (what Terraform sends) or JSON, to and from values. */
import { decodeJson, decodeMsgpack, encodeMsgpack } from './cty-codec.js';
import type { CtyType } from './cty-type.js';

export interface DynamicValueMessage {
  readonly msgpack?: Uint8Array | null;
  readonly json?: Uint8Array | null;
}

export function fromDynamicValue(
  message: DynamicValueMessage | null | undefined,
  type: CtyType,
): unknown {
  if (!message) return null;
  if (message.msgpack && message.msgpack.length > 0) return decodeMsgpack(message.msgpack, type);
  if (message.json && message.json.length > 0) return decodeJson(message.json, type);
  return null;
}

export function toDynamicValue(value: unknown, type: CtyType): { msgpack: Buffer } {
  const bytes = encodeMsgpack(value, type);
  // The bytes are this value's own: a Buffer over them, not a second copy.
  return { msgpack: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
