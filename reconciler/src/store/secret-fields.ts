import type { SealedSecret, SecretBox } from '../secrets/secret-box.js';
import { removeAt, valuesAt } from './attribute-paths.js';

/** The aad binding a sealed value to its resource and attribute. */
export function secretAad(resourceId: string, path: string): string {
  return `${resourceId}:${path}`;
}

/**
 * Moves write-only attributes out of `attributes` (mutated) into the sealed map. A string seals a
 * new value, `null` clears the stored one, an absent attribute keeps it (PUT semantics; on
 * create `current` is empty).
 */
export function sealSecrets(
  box: SecretBox,
  resourceId: string,
  secretPaths: readonly string[],
  attributes: Record<string, unknown>,
  current: Readonly<Record<string, SealedSecret>> = {},
): { sealed: Record<string, SealedSecret>; changed: boolean } {
  const sealed: Record<string, SealedSecret> = { ...current };
  let changed = false;
  for (const secretPath of secretPaths) {
    for (const { path, value } of valuesAt(attributes, secretPath)) {
      removeAt(attributes, path);
      if (value === null || value === undefined) {
        changed ||= path in sealed;
        delete sealed[path];
      } else if (!holds(box, sealed[path], resourceId, path, String(value))) {
        sealed[path] = box.seal(String(value), secretAad(resourceId, path));
        changed = true;
      }
    }
  }
  return { sealed, changed };
}

// Re-sending the stored value (Terraform sends write-only values on every apply) changes nothing.
function holds(
  box: SecretBox,
  sealed: SealedSecret | undefined,
  resourceId: string,
  path: string,
  plaintext: string,
): boolean {
  if (!sealed) return false;
  try {
    return box.open(sealed, secretAad(resourceId, path)) === plaintext;
  } catch {
    return false; // unreadable (a rotated-away key): seal the new value
  }
}

/** Opens every sealed value of a resource (for the engine, which hands them to the driver). */
export function openSecrets(
  box: SecretBox,
  resourceId: string,
  sealed: Readonly<Record<string, SealedSecret>>,
): Record<string, string> {
  const open: Record<string, string> = {};
  for (const [path, value] of Object.entries(sealed)) {
    open[path] = box.open(value, secretAad(resourceId, path));
  }
  return open;
}
