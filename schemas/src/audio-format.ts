/** The audio formats an uploaded clip may have. */
export type AudioFormat = 'mp3' | 'wav';

/**
 * The format of an audio file from its first bytes, without decoding it: WAV is a RIFF file of
 * form type `WAVE`; MP3 starts with an ID3v2 tag or with an MPEG audio frame header (11 sync
 * bits set, a layer other than "reserved"). Anything else is undefined.
 */
export function audioFormat(bytes: Uint8Array): AudioFormat | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (bytes.length >= 10 && ascii(0, 3) === 'ID3') return 'mp3';
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  if (bytes.length >= 4 && b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return 'mp3';
  return undefined;
}
