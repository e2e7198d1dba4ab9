import { getKind } from '@telform/schemas';
import { PlatformError } from './platform-driver.js';
import type { Attributes, ResourceRef } from './platform-driver.js';

// Where each kind lives in the platform API (see the emulator's /openapi.json): accounts at
// /v1/accounts, other kinds at /v1/accounts/{account}/{kind}s, singletons at
// /v1/accounts/{account}/settings/{kind}, read-only data at /v1/accounts/{account}/{kind}.

export function isSingleton(kind: string): boolean {
  return getKind(kind).singleton;
}

export function collectionPath(ref: ResourceRef): string {
  if (ref.kind === 'account') return '/v1/accounts';
  // A sub-account is an account too: with its parent unknown, it is reached by its own id.
  if (ref.kind === 'sub_account' && !ref.accountExternalId && ref.externalId) return '/v1/accounts';
  return `/v1/accounts/${enc(accountOf(ref))}/${ref.kind.endsWith('s') ? ref.kind : `${ref.kind}s`}`;
}

export function settingsPath(ref: ResourceRef): string {
  return `/v1/accounts/${enc(accountOf(ref))}/settings/${enc(ref.kind)}`;
}

/** Attributes as the platform takes them: computed ones dropped (the platform refuses them). */
export function input(kind: string, desired: Attributes): Record<string, unknown> {
  const computed = new Set(getKind(kind).computed);
  return Object.fromEntries(Object.entries(desired).filter(([name]) => !computed.has(name)));
}

export function enc(s: string): string {
  return encodeURIComponent(s);
}

function accountOf(ref: ResourceRef): string {
  if (ref.accountExternalId === undefined || ref.accountExternalId === '') {
    throw new PlatformError(
      'invalid',
      `${ref.kind} ${ref.id}: the platform id of its account is not known`,
      { field: 'account_id', rule: 'required' },
    );
  }
  return ref.accountExternalId;
}
