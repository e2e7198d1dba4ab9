/**
 * Encrypts secrets at rest. `aad` binds a ciphertext to its place (for example
 * `user_01jd...:password`), so a sealed value copied to another row or attribute fails to open.
 * `open` throws when the key, the aad or the ciphertext is wrong; its message never contains
 * the plaintext.
 */
export interface SecretBox {
  seal(plaintext: string, aad: string): SealedSecret;
  open(sealed: SealedSecret, aad: string): string;
  /**
   * Whether `sealed` names the current key (from its `kid`). Values under an older key still
   * open, but only `telform secrets rekey` moving them to the current key lets that key go.
   */
  isCurrent(sealed: SealedSecret): boolean;
}

/** Stored form of one secret (JSON in the database). */
export interface SealedSecret {
  readonly v: 1;
  /** Identifies the key, so keys can be rotated. */
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}
