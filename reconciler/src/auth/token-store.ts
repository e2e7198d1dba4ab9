import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { StoreError } from '../store/store-error.js';
import { toInfo, type TokenInfo } from './token-info.js';
import { checkTokenInput, type CreateTokenInput } from './check-token-input.js';

export type { CreateTokenInput } from './check-token-input.js';
import type { Principal } from './principal.js';

export type { TokenInfo } from './token-info.js';

export type VerifyResult =
  | {
      readonly ok: true;
      readonly principal: Principal;
      /** When the token stops being valid (null: never), so that a cache can honour it. */
      readonly expiresAt?: Date | null;
    }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown' | 'expired' | 'revoked' };

const TOKEN_FORMAT = /^tf_[A-Za-z0-9_-]{43}$/;

/** Whether a string has the shape of a telform token (says nothing of its validity). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_FORMAT.test(text);
}
// last_used_at is a hint, not an audit record: write it at most this often per token.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * SHA-256 of a token, hex: what the table keeps. Also the rate limiter's key. The API hashes a
 * request's token once and passes the hash along (api/request-token-hash.ts).
 */
export function hashToken(token: string): string {
  // The one-shot hash (not a Hash object per call): every API request hashes its token once.
  return hash('sha256', token, 'hex');
}

/**
 * API tokens: `tf_` + 32 random bytes (base64url), shown once at creation and stored as a
 * SHA-256 hash. The hash is looked up by index and compared in constant time.
 */
export class TokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates a token; the plaintext is in the result and nowhere else. */
  async create(input: CreateTokenInput): Promise<{ token: string; info: TokenInfo }> {
    checkTokenInput(input, this.now());
    const token = `tf_${randomBytes(32).toString('base64url')}`;
    const live = await this.findLive(input.name);
    if (live)
      throw new StoreError(
        'conflict',
        `a live token named "${input.name}" exists; revoke it or pick another name`,
      );
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        id: `token_${randomBytes(16).toString('hex')}`,
        name: input.name,
        role: input.role,
        scope_account_id: input.scopeAccountId ?? null,
        token_hash: hashToken(token),
        token_prefix: token.slice(0, 10),
        created_by: input.createdBy,
        created_at: this.now(),
        expires_at: input.expiresAt ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((err: unknown) => {
        // Two concurrent creates with one name: the partial unique index decides.
        if ((err as { code?: string }).code === '23505') {
          throw new StoreError(
            'conflict',
            `a live token named "${input.name}" exists; revoke it or pick another name`,
          );
        }
        throw err;
      });
    return { token, info: toInfo(row) };
  }

  /**
   * Resolves a presented token to its principal, or says why it is refused. `hash`, when given,
   * is `hashToken(token)` already computed by the caller.
   */
  async verify(token: string, hash?: string): Promise<VerifyResult> {
    if (!TOKEN_FORMAT.test(token)) return { ok: false, reason: 'malformed' };
    hash ??= hashToken(token);
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(hash, 'hex'))) {
      return { ok: false, reason: 'unknown' };
    }
    const now = this.now();
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
    if (row.expires_at !== null && row.expires_at <= now) return { ok: false, reason: 'expired' };
    if (
      row.last_used_at === null ||
      now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS
    ) {
      await this.db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    return {
      ok: true,
      principal: {
        tokenId: row.id,
        name: row.name,
        role: row.role,
        scopeAccountId: row.scope_account_id,
      },
      expiresAt: row.expires_at,
    };
  }

  /** Revokes by id or by the name of a live token; undefined when there is no such token. */
  async revoke(idOrName: string): Promise<TokenInfo | undefined> {
    const row = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: this.now() })
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) return toInfo(row);
    const gone = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', idOrName)
      .executeTakeFirst();
    return gone ? toInfo(gone) : undefined;
  }

  async get(id: string): Promise<TokenInfo | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toInfo(row) : undefined;
  }

  /** Every token, newest first; `includeRevoked` adds the revoked ones. */
  async list(options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    let query = this.db
      .selectFrom('api_tokens')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id');
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    return (await query.execute()).map(toInfo);
  }

  /**
   * First start: when no live admin token exists, creates one named `name` and returns it
   * (the daemon prints it once). Returns undefined when an admin token is already there.
   */
  async bootstrapAdmin(name = 'bootstrap-admin'): Promise<string | undefined> {
    const admin = await this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('role', '=', 'admin')
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', this.now())]))
      .executeTakeFirst();
    if (admin) return undefined;
    const { token } = await this.create({ name, role: 'admin', createdBy: 'bootstrap' }).catch(
      async (err) => {
        // A second replica won the race (same name); its token is the bootstrap one.
        if (err instanceof StoreError && err.code === 'conflict') return { token: undefined };
        throw err;
      },
    );
    return token;
  }

  private async findLive(name: string) {
    return this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }
}
