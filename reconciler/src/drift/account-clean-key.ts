import { hash } from 'node:crypto';
import type { KindInfo } from '@telform/schemas';
import { telformVersion } from '@telform/schemas/version';
import type { PlatformObject } from './platform-inventory.js';

/**
 * Bump when the compare's verdict for the same inputs can change (compare.ts, compare-plan.ts,
 * evaluate-account.ts, ignore-fields.ts): every stored key then misses once and every account is
 * compared again. A release does the same on its own (the version is part of the fingerprint).
 */
export const compareVersion = 1;

/** What a scan's verdicts depend on besides values: telform's version, the compare's, the kinds. */
export function compareFingerprint(kinds: readonly KindInfo[]): string {
  const material = [telformVersion, compareVersion, kinds.map((k) => [k.kind, k.schema])];
  return hash('sha256', JSON.stringify(material), 'base64url');
}

/** Everything an account's last scan verdict followed from. */
export interface AccountScanInputs {
  /** compareFingerprint of the scanner's kinds. */
  readonly fingerprint: string;
  /** DriftPolicyCache.digest(): every stored drift policy. */
  readonly policies: string;
  /** The account row's `desired_seq` and the greatest of its owned rows' (migration 0016). */
  readonly desiredSeq: string;
  readonly ownedSeq: string | null;
  /** What the platform listed for the account, per kind, in the platform's order. */
  readonly inventory: ReadonlyMap<string, readonly PlatformObject[]>;
}

/**
 * An account's clean key: a digest of everything its scan's findings followed from. Two scans
 * with the same key would record the same findings, so the second needs no rows read and no
 * compare: the platform listed the very same documents (any edit, creation or removal there
 * changes the listing), nobody changed the desired state (every write draws a new
 * `desired_seq`, a removed row draws one for its owner), no drift policy changed (ignored fields
 * and modes, anywhere: policies are few, and a change costs one full scan) and the compare is the
 * same code over the same schemas. Not canonical: a platform that lists in another order costs
 * a full compare, never a skipped one. SHA-256 over the documents, like observedDigest, so the key
 * says nothing of a generated secret the platform lists.
 */
export function accountCleanKey(inputs: AccountScanInputs): string {
  const { fingerprint, policies, desiredSeq, ownedSeq, inventory } = inputs;
  const material = JSON.stringify([fingerprint, policies, desiredSeq, ownedSeq, [...inventory]]);
  return hash('sha256', material, 'base64url');
}
