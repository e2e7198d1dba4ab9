import { StoreError, type FieldError } from '../store/store-error.js';
import { isRole } from './permissions.js';
import type { Role } from './principal.js';

export interface CreateTokenInput {
  readonly name: string;
  readonly role: Role;
  /** null or absent: every account. */
  readonly scopeAccountId?: string | null;
  /** null or absent: never expires. */
  readonly expiresAt?: Date | null;
  /** Actor who asked for it (a token name, or `bootstrap`). */
  readonly createdBy: string;
}

const NAME_FORMAT = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const SCOPE_FORMAT = /^(account|sub_account)_[a-z0-9]{1,64}$/;

/** Throws a `validation_failed` StoreError naming every broken field of a token request. */
export function checkTokenInput(input: CreateTokenInput, now: Date): void {
  const errors: FieldError[] = [];
  if (typeof input.name !== 'string' || !NAME_FORMAT.test(input.name)) {
    errors.push({
      field: 'name',
      rule: 'pattern',
      message: 'name must be 1-64 letters, digits or `._@-`, starting with a letter or digit',
    });
  }
  if (!isRole(input.role)) {
    errors.push({
      field: 'role',
      rule: 'enum',
      message: 'role must be one of admin, operator, auditor',
    });
  }
  const scope = input.scopeAccountId;
  if (scope != null && (typeof scope !== 'string' || !SCOPE_FORMAT.test(scope))) {
    errors.push({
      field: 'scope_account_id',
      rule: 'pattern',
      message: 'scope_account_id must be an account or sub_account id',
    });
  }
  const expires = input.expiresAt;
  if (expires != null && !(expires instanceof Date && expires.getTime() > now.getTime())) {
    errors.push({
      field: 'expires_at',
      rule: 'future',
      message: 'expires_at must be a time in the future',
    });
  }
  if (errors.length > 0) throw new StoreError('validation_failed', 'invalid token request', errors);
}
