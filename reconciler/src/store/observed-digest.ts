import { createHash } from 'node:crypto';

/**
 * A digest of a platform document as last written to `observed` (column `observed_digest`,
 * migration 0011), so a drift scan can tell whether the platform moved without reading the
 * stored document. Not canonical: a platform that reorders keys costs one more write, never a
 * missed one. SHA-256, so the digest of a document holding a generated secret (a provisioning
 * token) says nothing of the secret.
 */
export function observedDigest(attributes: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(attributes)).digest('base64url');
}
