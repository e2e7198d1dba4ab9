import { getKind } from '@telform/schemas';

/**
 * Where an object lives on the platform, as `terraform import`, `import {}` blocks and
 * `telform adopt` name it: `platform:<account>/<object>`, both parts platform ids as the
 * vendor's console shows them (`platform:acc-3/u-264`). An account, and a singleton of an
 * account (its settings), is named by the account alone: `platform:acc-3`.
 */
export interface PlatformRef {
  /** Platform id of the account (the account itself for kinds `account` and `sub_account`). */
  readonly account: string;
  /** Platform id of the object; absent for accounts and singletons. */
  readonly object?: string;
}

export const platformRefPrefix = 'platform:';

// Platform ids as vendors write them: letters, digits and `._:-`, at most 128.
const part = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export class PlatformRefError extends Error {
  override readonly name = 'PlatformRefError';
}

export function isPlatformRef(text: string): boolean {
  return text.startsWith(platformRefPrefix);
}

/**
 * Reads a reference for `kind`; throws {@link PlatformRefError} naming the rule it breaks.
 * A sub-account is an object of its parent (`platform:<parent>/<sub-account>`) or, with its
 * parent unknown, an account (`platform:<sub-account>`).
 */
export function parsePlatformRef(kind: string, text: string): PlatformRef {
  const info = getKind(kind);
  const example = formatPlatformRef(kind, exampleRef(kind));
  if (!isPlatformRef(text)) {
    throw new PlatformRefError(`a platform reference starts with "platform:", such as ${example}`);
  }
  const parts = text.slice(platformRefPrefix.length).split('/');
  if (parts.length > 2 || !parts.every((p) => part.test(p))) {
    throw new PlatformRefError(
      `a platform reference is platform:<account id>/<object id> (ids of letters, digits and ._:-), such as ${example}`,
    );
  }
  const [account, object] = parts as [string, string | undefined];
  const alone = kind === 'account' || info.singleton;
  if (alone && object !== undefined) {
    throw new PlatformRefError(
      `a ${kind} is named by its account alone, such as ${example}; "${object}" is one too many`,
    );
  }
  if (!alone && kind !== 'sub_account' && object === undefined) {
    throw new PlatformRefError(
      `a ${kind} needs its object id after the account, such as ${example}`,
    );
  }
  return object === undefined ? { account } : { account, object };
}

export function formatPlatformRef(kind: string, ref: PlatformRef): string {
  const alone = kind === 'account' || getKind(kind).singleton || ref.object === undefined;
  return `${platformRefPrefix}${ref.account}${alone ? '' : `/${ref.object}`}`;
}

function exampleRef(kind: string): PlatformRef {
  if (kind === 'account' || getKind(kind).singleton) return { account: 'acc-3' };
  const object = kind === 'sub_account' ? 'acc-7' : kind === 'user' ? 'u-264' : '<object id>';
  return { account: 'acc-3', object };
}
