/**
 * The run-time checks behind telform's own schema keywords. The validators compiled at build
 * time (schemas/generated/validators.cjs) call them through the object they are handed, so the
 * generated file needs no path to this source: see {@link createAjv}.
 */
import { audioFormat } from './audio-format.js';
import { imageDimensions } from './image-dimensions.js';

/** The checks a generated validator calls; each answers whether the value passes. */
export interface KeywordChecks {
  /** `x-telform-max-decoded-bytes`: the base64 `data` decodes to at most `max` bytes. */
  fitsDecodedBytes(max: number, data: string): boolean;
  /** `x-telform-max-image-size`: the base64 `data` is an image within `limit`. */
  fitsImage(limit: ImageLimit, data: unknown): boolean;
  /** `x-telform-image-format-of`: the image format matches the sibling file name's extension. */
  matchesImageName(nameProperty: string, data: unknown, parent: unknown): boolean;
  /** `x-telform-audio-format-of`: the audio format matches the sibling file name's extension. */
  matchesAudioName(nameProperty: string, data: unknown, parent: unknown): boolean;
  /** `x-telform-unique-by`: no two items of the array `data` have the same `key`. */
  uniqueBy(key: string, data: unknown): boolean;
}

interface ImageLimit {
  readonly width: number;
  readonly height: number;
}

function base64DecodedBytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const IMAGE_EXTENSIONS = { png: 'png', gif: 'gif', jpg: 'jpeg', jpeg: 'jpeg' } as const;
const AUDIO_EXTENSIONS = { mp3: 'mp3', wav: 'wav' } as const;

type ContentFormat = (bytes: Uint8Array) => string | undefined;

/**
 * A check that a base64 file holds the format its sibling file name says (a text file named
 * .png is refused): the extension maps to the format `detect` must report.
 */
function matchesFileName(detect: ContentFormat, byExtension: Readonly<Record<string, string>>) {
  return (nameProperty: string, data: unknown, parent: unknown): boolean => {
    const name = (parent as Record<string, unknown> | undefined)?.[nameProperty];
    // Not base64 at all is the pattern's error, not this one.
    if (typeof data !== 'string' || typeof name !== 'string' || !BASE64.test(data)) return true;
    const expected = byExtension[name.split('.').pop()!.toLowerCase()];
    if (expected === undefined) return true; // the name's own pattern refuses it
    return detect(Buffer.from(data, 'base64')) === expected;
  };
}

const imageFormat: ContentFormat = (bytes) => imageDimensions(bytes)?.format;

export const keywordChecks: KeywordChecks = {
  fitsDecodedBytes: (max, data) => base64DecodedBytes(data) <= max,
  fitsImage(limit, data) {
    if (typeof data !== 'string') return true;
    const size = imageDimensions(Buffer.from(data, 'base64'));
    return size !== undefined && size.width <= limit.width && size.height <= limit.height;
  },
  matchesImageName: matchesFileName(imageFormat, IMAGE_EXTENSIONS),
  matchesAudioName: matchesFileName(audioFormat, AUDIO_EXTENSIONS),
  uniqueBy(key, data) {
    if (!Array.isArray(data)) return true;
    const seen = data.map((item: unknown) => (item as Record<string, unknown> | null)?.[key]);
    return new Set(seen).size === seen.length;
  },
};
