// Platform-generated secrets (readOnly + x-telform-sensitive, such as the provisioning token) in
// the stored observed document. They arrive from the platform in clear; at rest each one is a
// sealed envelope (the same SecretBox as write-only secrets), opened only for callers that may
// read desired state and omitted for everyone else.
import type { SealedSecret, SecretBox } from '../secrets/secret-box.js';
import { cloneJson, removeAt, setAt, valuesAt } from './attribute-paths.js';

type Attributes = Record<string, unknown>;

/**
 * The aad binding a sealed observed value to its resource and attribute. The `observed` suffix
 * keeps it apart from a write-only secret at the same path, so neither opens as the other.
 */
export function observedSecretAad(resourceId: string, path: string): string {
  return `${resourceId}:${path}:observed`;
}

/** Whether `value` has the shape of a sealed envelope. */
export function isSealedSecret(value: unknown): value is SealedSecret {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.v === 1 &&
    typeof v.kid === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.ct === 'string' &&
    typeof v.tag === 'string'
  );
}

/**
 * A copy of `observed` (the platform's answer) to store: the value at each of `paths` (the
 * kind's `generatedSecrets`) replaced by its sealed envelope. Nulls stay null.
 */
export function sealObserved(
  box: SecretBox,
  resourceId: string,
  paths: readonly string[],
  observed: Readonly<Attributes>,
): Attributes {
  const out = cloneJson(observed) as Attributes;
  for (const secretPath of paths) {
    for (const { path, value } of valuesAt(out, secretPath)) {
      if (value === null || value === undefined || isSealedSecret(value)) continue;
      setAt(out, path, box.seal(String(value), observedSecretAad(resourceId, path)));
    }
  }
  return out;
}

/**
 * A copy of a stored observed document for a caller that may read desired state: envelopes
 * opened (`stored` itself when none is sealed: callers must not change the answer). One that
 * cannot be opened (its key rotated away) is omitted, never shown sealed; a
 * clear value stored before sealing existed is shown as is (the next reconcile seals it).
 */
export function openObserved(
  box: SecretBox,
  resourceId: string,
  paths: readonly string[],
  stored: Readonly<Attributes>,
): Attributes {
  // Nothing sealed to open (a kind without generated secrets, or a platform that generated
  // none): the stored document is the answer (a copy per read was most of a GET's JSON work;
  // readers serialise it and never change it).
  if (!paths.some((p) => valuesAt(stored, p).some(({ value }) => isSealedSecret(value)))) {
    return stored as Attributes;
  }
  const out = cloneJson(stored) as Attributes;
  for (const secretPath of paths) {
    for (const { path, value } of valuesAt(out, secretPath)) {
      if (!isSealedSecret(value)) continue;
      try {
        setAt(out, path, box.open(value, observedSecretAad(resourceId, path)));
      } catch {
        removeAt(out, path);
      }
    }
  }
  return out;
}

/**
 * A copy of a stored observed document for everyone else: the secrets omitted. With none of
 * them present it is `stored` itself, not a copy (see openObserved).
 */
export function maskObserved(paths: readonly string[], stored: Readonly<Attributes>): Attributes {
  // Nothing to omit (no secret attribute present, not even null): no copy, as in openObserved.
  if (!paths.some((p) => valuesAt(stored, p).length > 0)) return stored as Attributes;
  const out = cloneJson(stored) as Attributes;
  for (const secretPath of paths) {
    for (const { path } of valuesAt(out, secretPath)) removeAt(out, path);
  }
  return out;
}
