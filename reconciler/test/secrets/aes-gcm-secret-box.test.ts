import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import type { SealedSecret } from '../../src/secrets/secret-box.js';

const key = randomBytes(32);
const box = new AesGcmSecretBox(key);
const plaintext = 'sms-provider-pa55word-é';
const aad = 'sms_settings_01:authentication.password';

describe('AesGcmSecretBox', () => {
  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = box.seal(plaintext, aad);
    expect(JSON.stringify(sealed)).not.toContain(plaintext);
    expect(box.open(sealed, aad)).toBe(plaintext);
  });

  it('uses a fresh IV for every seal', () => {
    const a = box.seal(plaintext, aad);
    const b = box.seal(plaintext, aad);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  const flip = (b64: string): string => {
    const buf = Buffer.from(b64, 'base64');
    buf[0] = buf[0]! ^ 1;
    return buf.toString('base64');
  };
  const refusals: { reason: string; open: (s: SealedSecret) => string }[] = [
    {
      reason: 'a value copied to another attribute must not open',
      open: (s) => box.open(s, 'x:other'),
    },
    {
      reason: 'a flipped ciphertext bit is tampering',
      open: (s) => box.open({ ...s, ct: flip(s.ct) }, aad),
    },
    {
      reason: 'a flipped tag bit is tampering',
      open: (s) => box.open({ ...s, tag: flip(s.tag) }, aad),
    },
    { reason: 'a changed IV is tampering', open: (s) => box.open({ ...s, iv: flip(s.iv) }, aad) },
    {
      reason: 'another key cannot open it',
      open: (s) => new AesGcmSecretBox(randomBytes(32)).open(s, aad),
    },
    {
      reason: "relabelling a value with the opener's key id still fails authentication",
      open: (s) => {
        const other = new AesGcmSecretBox(randomBytes(32));
        return other.open({ ...s, kid: other.kid }, aad);
      },
    },
  ];
  it.each(refusals)('$reason', ({ open }) => {
    const sealed = box.seal(plaintext, aad);
    let message = '';
    try {
      open(sealed);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/cannot open secret/);
    expect(message).not.toContain(plaintext);
  });

  it('opens values sealed under a previous key after a rotation', () => {
    const sealed = box.seal(plaintext, aad);
    const rotated = new AesGcmSecretBox(randomBytes(32), [key]);
    expect(rotated.open(sealed, aad)).toBe(plaintext);
    expect(rotated.seal(plaintext, aad).kid).toBe(rotated.kid);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new AesGcmSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
