/**
 * What the generated validators (schemas/generated/validators.ts) call at run time: telform's
 * own keyword checks, and the few ajv and ajv-formats helpers its code references. The
 * generated code reaches them through `runtimeModule(id)`, in the place of the `require(id)` that
 * ajv's standalone output writes, so one ESM file serves Node, tsx, vitest and esbuild alike.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import equalModule from 'ajv/dist/runtime/equal.js';
import { audioFormat } from './audio-format.js';
import { imageDimensions } from './image-dimensions.js';

/** The id under which generated code finds `telformKeywords`. */
export const TELFORM_KEYWORDS_ID = 'telform:validator-keywords';

/** Bytes that base64 `text` decodes to, from its length (the pattern checked the alphabet). */
function base64DecodedBytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

function fitsImage(limit: { readonly width: number; readonly height: number }, data: string) {
  const size = imageDimensions(Buffer.from(data, 'base64'));
  return size !== undefined && size.width <= limit.width && size.height <= limit.height;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  png: 'png',
  gif: 'gif',
  jpg: 'jpeg',
  jpeg: 'jpeg',
};
const AUDIO_EXTENSIONS: Readonly<Record<string, string>> = { mp3: 'mp3', wav: 'wav' };

type ContentFormat = (bytes: Uint8Array) => string | undefined;

/**
 * Whether a base64 file holds the format its sibling file name says (a text file named .png is
 * refused): the extension maps to the format `detect` must report.
 */
function matchesFileName(
  detect: ContentFormat,
  byExtension: Readonly<Record<string, string>>,
  name: unknown,
  data: string,
): boolean {
  // Not base64 at all is the pattern's error, not this one.
  if (typeof name !== 'string' || !BASE64.test(data)) return true;
  const expected = byExtension[name.split('.').pop()!.toLowerCase()];
  if (expected === undefined) return true; // the name's own pattern refuses it
  return detect(Buffer.from(data, 'base64')) === expected;
}

/** The checks of telform's keywords; each returns true when the value passes. */
export const telformKeywords = {
  maxDecodedBytes: (max: number, data: string) => base64DecodedBytes(data) <= max,
  maxImageSize: fitsImage,
  imageFormatOf: (name: unknown, data: string) =>
    matchesFileName((bytes) => imageDimensions(bytes)?.format, IMAGE_EXTENSIONS, name, data),
  audioFormatOf: (name: unknown, data: string) =>
    matchesFileName(audioFormat, AUDIO_EXTENSIONS, name, data),
  uniqueBy: (key: string, data: readonly unknown[]) => {
    const seen = data.map((item: unknown) => (item as Record<string, unknown> | null)?.[key]);
    return new Set(seen).size === seen.length;
  },
};

// ajv's own copy of ucs2length: a string's length in code points, as maxLength counts it.
function ucs2length(str: string): number {
  const len = str.length;
  let length = 0;
  let pos = 0;
  while (pos < len) {
    length++;
    const value = str.charCodeAt(pos++);
    if (value >= 0xd800 && value <= 0xdbff && pos < len) {
      const next = str.charCodeAt(pos);
      if ((next & 0xfc00) === 0xdc00) pos++; // low surrogate
    }
  }
  return length;
}

// A CommonJS default export reads as the function or as `{ default }`, by loader.
const equal = ((equalModule as unknown as { default?: unknown }).default ?? equalModule) as (
  a: unknown,
  b: unknown,
) => boolean;

const modules: Readonly<Record<string, unknown>> = {
  'ajv/dist/runtime/ucs2length': { default: ucs2length },
  'ajv/dist/runtime/equal': { default: equal },
  'ajv-formats/dist/formats': { fullFormats },
  [TELFORM_KEYWORDS_ID]: telformKeywords,
};

/** The module generated code names `id`; throws on one it was not built against. */
export function runtimeModule(id: string): unknown {
  const found = modules[id];
  if (found === undefined) throw new Error(`generated validators need ${id}, which telform lacks`);
  return found;
}
