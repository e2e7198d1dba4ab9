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
  /**
   * LISTEN on a channel (OpenedDatabase.listen, Postgres). With it, cached tokens are served
   * with no query while the subscription lives; without it (PGlite), each hit first reads the
   * revocation epoch (one primary-key row).
   */
  readonly listen?: (channel: string, handlers: ListenHandlers) => Promise<Subscription>;
  /** Pause before subscribing again after the listening connection is lost (default 1 s). */
  readonly resubscribeMs?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly principal: Principal;
  readonly until: number;
  readonly expiresAt: number | null;
}

/**
 * Verified tokens in memory, keyed by the token's hash (never the token). A revocation is seen
 * at once by every replica: each change to a token bumps the epoch (trigger of migration 0010)
 * and notifies `telform_tokens`; a notice, a changed epoch or a lost subscription empties the
 * cache. Only successful verifications are cached; refusals always go to the store.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Bumped by every invalidation, so that a lookup in flight across one is not cached. */
  #generation = 0;
  #epoch: string | undefined;
  #subscription: Subscription | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly store: { verify(token: string): Promise<VerifyResult> },
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

  async verify(token: string): Promise<VerifyResult> {
    if (!looksLikeToken(token)) return this.store.verify(token);
    if (!this.listening()) await this.checkEpoch();
    const hash = hashToken(token);
    const now = this.#now();
    const hit = this.#entries.get(hash);
    if (hit && now < hit.until && (hit.expiresAt === null || now < hit.expiresAt)) {
      return { ok: true, principal: hit.principal, expiresAt: toDate(hit.expiresAt) };
    }
    if (hit) this.#entries.delete(hash);
    const generation = this.#generation;
    const result = await this.store.verify(token);
    if (result.ok && generation === this.#generation) {
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

  /** Forgets every cached token. */
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
