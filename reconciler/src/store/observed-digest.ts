import { hash } from 'node:crypto';

/**
 * A digest of a platform document as last written to `observed` (column `observed_digest`,
 * migration 0012), so a drift scan can tell whether the platform moved without reading the
 * stored document. Not canonical: a platform that reorders keys costs one more write, never a
 * missed one. SHA-256, so the digest of a document holding a generated secret (a provisioning
 * token) says nothing of the secret. The one-shot `hash` (not createHash): a scan digests every
 * listed object, and for documents this small the Hash object cost more than the hashing.
 */
export function observedDigest(attributes: Readonly<Record<string, unknown>>): string {
  return hash('sha256', JSON.stringify(attributes), 'base64url');
}
