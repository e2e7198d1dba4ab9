import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { StoreError } from './store-error.js';

export interface IdempotencyRequest {
  /** Keys are per caller: two tokens may use the same key. */
  readonly principal: string;
  readonly key: string;
  /** Hash of what identifies the request (method, path, body): see {@link requestHash}. */
  readonly requestHash: string;
}

export interface StoredResponse {
  readonly statusCode: number;
  readonly body: unknown;
}

// How long a key answers with its stored response; after that it is free again.
const TTL_HOURS = 24;

class LostRace extends Error {}

/** A stable hash of a request; the body is hashed, never stored (it may carry secrets). */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Runs a write at most once per Idempotency-Key. The work and the stored response commit in
 * one transaction, so a crash can never leave a change without its key (which would let a retry
 * apply it twice). Same key and same request: the stored response; another request:
 * `idempotency_key_reused`. Two concurrent requests with one key: one commits, the other's
 * work rolls back and it answers with the winner's response.
 */
export class IdempotencyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async run(
    request: IdempotencyRequest,
    work: (trx: Kysely<Database>) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { readonly replayed: boolean }> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const stored = await this.find(trx, request, { dropExpired: true });
        if (stored) return stored;
        const response = await work(trx);
        const inserted = await trx
          .insertInto('idempotency_keys')
          .values({
            principal: request.principal,
            key: request.key,
            request_hash: request.requestHash,
            status_code: response.statusCode,
            response: JSON.stringify(response.body),
          })
          .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!inserted) throw new LostRace();
        return { ...response, replayed: false };
      });
    } catch (err) {
      if (!(err instanceof LostRace)) throw err;
      const stored = await this.find(this.db, request);
      if (!stored) {
        throw new Error('idempotency key vanished after a concurrent request stored it', {
          cause: err,
        });
      }
      return stored;
    }
  }

  /** Deletes keys past their lifetime; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${TTL_HOURS})`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // A key past its lifetime answers as absent. With `dropExpired` (inside `run`'s transaction)
  // the same statement deletes it, so that the insert at the end may take the key again: one
  // statement on the write path, not a delete and a select.
  private async find(
    db: Kysely<Database>,
    request: IdempotencyRequest,
    { dropExpired = false } = {},
  ) {
    const live = sql<boolean>`created_at >= now() - make_interval(hours => ${TTL_HOURS})`;
    const row = await (
      dropExpired
        ? db.with('expired', (w) =>
            w
              .deleteFrom('idempotency_keys')
              .where('principal', '=', request.principal)
              .where('key', '=', request.key)
              .where(sql<boolean>`not (${live})`),
          )
        : db
    )
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response'])
      .where('principal', '=', request.principal)
      .where('key', '=', request.key)
      .where(live)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== request.requestHash) {
      throw new StoreError(
        'idempotency_key_reused',
        'this Idempotency-Key was used for a different request; use a new key for a new request',
      );
    }
    return { statusCode: row.status_code, body: row.response, replayed: true };
  }
}
