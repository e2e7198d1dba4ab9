import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { ListenHandlers, Subscription } from '../store/open-database.js';
import type { Principal } from './principal.js';
import { hashToken, looksLikeToken, type VerifyResult } from './token-store.js';

/** The channel migration 0010's trigger notifies when a token's grant changes. */
export const tokensChannel = 'telform_tokens';

export interface TokenCacheOptions {
  /** A cached token is looked up again after this long (default 30 s; keeps `last_used_at`). */
  readonly ttlMs?: number;
  /** Tokens kept at most; the oldest go first (default 10,000). */
  readonly maxEntries?: number;
  /** How long a refused token is answered from memory (default 10 minutes). */
  readonly negativeTtlMs?: number;
  /** Refused tokens kept at most; the oldest go first (default 50,000). */
  readonly maxNegativeEntries?: number;
  /**
   * LISTEN on a channel (OpenedDatabase.listen). With it, cached tokens are served with no
   * query while the subscription lives; without it, or while it is lost, each hit first reads
   * the revocation epoch (one primary-key row).
   */
  readonly listen?: (channel: string, handlers: ListenHandlers) => Promise<Subscription>;
  /**
   * Lookups of uncached tokens in flight at once (default 2). Each waits a turn of the event loop
   * first, so a flood of made-up tokens cannot chain its queries (PGlite runs them on this
   * thread) ahead of every socket read: health and cached tokens are answered between them.
   */
  readonly lookupLanes?: number;
  /** Pause before subscribing again after the listening connection is lost (default 1 s). */
  readonly resubscribeMs?: number;
  readonly now?: () => number;
}

type Refusal = Exclude<VerifyResult, { ok: true }>;

interface Entry {
  readonly principal: Principal;
  readonly until: number;
  readonly expiresAt: number | null;
}

/**
 * Verified tokens in memory, keyed by the token's hash (never the token). A revocation is seen
 * at once by every replica: each change to a token bumps the epoch (trigger of migration 0010)
 * and notifies `telform_tokens`; a notice, a changed epoch or a lost subscription empties the
 * cache.
 *
 * Refusals of well-formed tokens (unknown, revoked, expired) are cached too, apart, so that
 * random tokens cost one lookup each and a replayed one none. That is safe without the epoch
 * check: each of those refusals is final (a token is minted by the daemon, so no one holds an
 * unknown token that later becomes valid; revocation and expiry are never undone).
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #refused = new Map<string, { readonly result: Refusal; readonly until: number }>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Bumped by every invalidation, so that a lookup in flight across one is not cached. */
  #generation = 0;
  #epoch: string | undefined;
  #subscription: Subscription | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #lookups = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    private readonly store: { verify(token: string, hash?: string): Promise<VerifyResult> },
    private readonly db: Kysely<Database>,
    private readonly options: TokenCacheOptions = {},
  ) {
    this.#ttl = options.ttlMs ?? 30_000;
    this.#max = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Subscribes to change notices when `listen` was given; safe to skip (then epoch checks). */
  async start(): Promise<void> {
    if (!this.options.listen || this.#closed) return;
    try {
      this.#subscription = await this.options.listen(tokensChannel, {
        onNotify: () => this.invalidate(),
        onLost: () => {
          this.#subscription = undefined;
          this.invalidate();
          this.resubscribeLater();
        },
      });
      // Notices sent before the subscription began are not delivered: start from empty.
      this.invalidate();
    } catch {
      this.resubscribeLater();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#subscription?.close();
    this.#subscription = undefined;
    this.invalidate();
  }

  /** Whether hits are served without a query (a live subscription). */
  listening(): boolean {
    return this.#subscription !== undefined;
  }

  /**
   * Whether `token` is a cached good token (no store work; the epoch is checked on verify).
   * `hash`, when given, is `hashToken(token)` already computed (so it is for `verify` too).
   */
  holds(token: string, hash?: string): boolean {
    if (!looksLikeToken(token)) return false;
    const hit = this.#entries.get(hash ?? hashToken(token));
    const now = this.#now();
    return hit !== undefined && now < hit.until && (hit.expiresAt === null || now < hit.expiresAt);
  }

  async verify(token: string, known?: string): Promise<VerifyResult> {
    if (!looksLikeToken(token)) return this.store.verify(token);
    const hash = known ?? hashToken(token);
    const refused = this.#refused.get(hash);
    if (refused && this.#now() < refused.until) return refused.result;
    if (refused) this.#refused.delete(hash);
    if (!this.listening()) await this.checkEpoch();
    const now = this.#now();
    const hit = this.#entries.get(hash);
    if (hit && now < hit.until && (hit.expiresAt === null || now < hit.expiresAt)) {
      return { ok: true, principal: hit.principal, expiresAt: toDate(hit.expiresAt) };
    }
    if (hit) this.#entries.delete(hash);
    const generation = this.#generation;
    const result = await this.lookUp(token, hash);
    if (!result.ok) {
      if (result.reason !== 'malformed') this.remember(hash, result, now);
      return result;
    }
    if (generation === this.#generation) {
      if (this.#entries.size >= this.#max) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
      this.#entries.set(hash, {
        principal: result.principal,
        until: now + this.#ttl,
        expiresAt: result.expiresAt ? result.expiresAt.getTime() : null,
      });
    }
    return result;
  }

  private async lookUp(token: string, hash: string): Promise<VerifyResult> {
    if (this.#lookups < (this.options.lookupLanes ?? 2)) this.#lookups += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return await this.store.verify(token, hash);
    } finally {
      // The lane passes to the next waiter as it is (the count stays), or is freed.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#lookups -= 1;
    }
  }

  private remember(hash: string, result: Refusal, now: number): void {
    if (this.#refused.size >= (this.options.maxNegativeEntries ?? 50_000)) {
      this.#refused.delete(this.#refused.keys().next().value!);
    }
    this.#refused.set(hash, { result, until: now + (this.options.negativeTtlMs ?? 600_000) });
  }

  /** Forgets every cached good token (refusals are final, so they stay). */
  invalidate(): void {
    this.#generation += 1;
    this.#entries.clear();
  }

  private async checkEpoch(): Promise<void> {
    const row = await this.db
      .selectFrom('api_token_epoch')
      .select('epoch')
      .where('id', '=', 1)
      .executeTakeFirst();
    const epoch = row?.epoch ?? 'none';
    if (epoch !== this.#epoch) {
      this.#epoch = epoch;
      this.invalidate();
    }
  }

  private resubscribeLater(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.start();
    }, this.options.resubscribeMs ?? 1_000);
    this.#retry.unref();
  }
}

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
