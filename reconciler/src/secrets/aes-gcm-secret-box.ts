import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SealedSecret, SecretBox } from './secret-box.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;

/**
 * AES-256-GCM with a random 96-bit IV per seal. The aad (the secret's place, such as
 * `user_01jd...:password`) is authenticated, so a ciphertext moved elsewhere fails to open.
 * Older keys may be given for opening values sealed before a rotation.
 */
export class AesGcmSecretBox implements SecretBox {
  readonly #key: Buffer;
  readonly #kid: string;
  readonly #older: ReadonlyMap<string, Buffer>;

  constructor(key: Buffer, olderKeys: readonly Buffer[] = []) {
    for (const k of [key, ...olderKeys]) {
      if (k.length !== KEY_BYTES) {
        throw new Error(`secret key must be ${KEY_BYTES} bytes, got ${k.length}`);
      }
    }
    this.#key = Buffer.from(key);
    this.#kid = keyId(key);
    this.#older = new Map(olderKeys.map((k) => [keyId(k), Buffer.from(k)]));
  }

  /** Fingerprint of the current key (not the key): stored with each value. */
  get kid(): string {
    return this.#kid;
  }

  seal(plaintext: string, aad: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      kid: this.#kid,
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  isCurrent(sealed: SealedSecret): boolean {
    return sealed.kid === this.#kid;
  }

  open(sealed: SealedSecret, aad: string): string {
    if (sealed?.v !== 1) throw new Error('cannot open secret: unknown envelope version');
    const key = sealed.kid === this.#kid ? this.#key : this.#older.get(sealed.kid);
    if (!key) throw new Error(`cannot open secret: sealed with unknown key ${sealed.kid}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.ct, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // The cause may carry buffer contents; a fixed message keeps plaintext out of logs.
      throw new Error(`cannot open secret for ${aad}: wrong key, place or tampered ciphertext`);
    }
  }
}

function keyId(key: Buffer): string {
  return createHash('sha256').update('telform-kid:').update(key).digest('hex').slice(0, 16);
}
