import type { Kysely } from 'kysely';
import { getKind } from '@telform/schemas';
import { redactSecrets } from '../secrets/redact-secrets.js';
import type { Database } from '../store/database.js';
import { appendAuditEvents } from './append-audit-events.js';
import type { AuditEvent, HashedFields } from './audit-event.js';
import { queryAuditEvents, type AuditFilter, type AuditPage } from './audit-query.js';
import type { AuditEventInput, AuditSink } from './audit-sink.js';
import {
  AUDIT_PRUNED_EVENT,
  verifyAuditChain,
  verifyScopedAuditChain,
  type ChainReport,
  type ScopedChainReport,
} from './verify-audit-chain.js';

export interface AuditStoreOptions {
  readonly now?: () => Date;
  /** Secret attribute paths of the kind an event is about (the catalogue's `secrets`). */
  readonly secretPaths?: (event: AuditEventInput) => readonly string[];
}

interface Pending {
  readonly fields: HashedFields;
  resolve(): void;
  reject(err: unknown): void;
}

// A change larger than this is summarised: the audit trail records that a write happened,
// not arbitrarily large bodies.
const MAX_CHANGE_CHARS = 32_768;
const BATCH = 500;
const PRUNE_BATCH = 5_000;

/** What one prune did (the retention job's summary). */
export type AuditPruneSummary = {
  /** Events deleted by this prune. */
  readonly deleted: number;
  /** The checkpoint: events up to this seq are gone; verification starts after it. */
  readonly through_seq: string;
};

/**
 * The audit trail on kysely: append-only and hash-chained. Appends lock the chain head row,
 * so several daemons on one Postgres extend one chain. Concurrent `record` calls in a process
 * are grouped into one transaction (group commit); each resolves once its event is committed.
 */
export class AuditStore implements AuditSink {
  readonly #pending: Pending[] = [];
  #draining: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: AuditStoreOptions = {},
  ) {}

  record(input: AuditEventInput): Promise<void> {
    const fields = this.prepare(input);
    return new Promise((resolve, reject) => {
      this.#pending.push({ fields, resolve, reject });
      this.kick();
    });
  }

  /**
   * Appends one event inside the caller's transaction (a write's own), in one statement: the
   * event commits or rolls back with the write, never one without the other. The append holds
   * the chain head until that commit, which serialises every append: call it last, just before
   * the commit.
   */
  recordIn(trx: Kysely<Database>, input: AuditEventInput): Promise<void> {
    return appendAuditEvents(trx, [this.prepare(input)]);
  }

  query(filter: AuditFilter): Promise<AuditPage> {
    return queryAuditEvents(this.db, filter);
  }

  /** Every event matching `filter`, oldest first, page by page (for NDJSON export). */
  async *export(
    filter: Omit<AuditFilter, 'cursor' | 'order' | 'limit'>,
  ): AsyncGenerator<AuditEvent> {
    let cursor: string | undefined;
    do {
      const page = await queryAuditEvents(this.db, {
        ...filter,
        cursor,
        order: 'asc',
        limit: 1000,
      });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  verify(): Promise<ChainReport> {
    return verifyAuditChain(this.db);
  }

  /** verify, as a caller that may read only `accountIds`' events sees it. */
  verifyScoped(accountIds: readonly string[]): Promise<ScopedChainReport> {
    return verifyScopedAuditChain(this.db, new Set(accountIds));
  }

  /**
   * Deletes the oldest events, those before `before` (a prefix of the chain), keeping the rest
   * verifiable: the checkpoint moves to the last deleted event's seq and hash, and an
   * `audit.pruned` event naming it is appended in the same transaction. A chain that does not
   * verify is left untouched (throws), so a prune never launders tampered events.
   */
  async prune(before: Date): Promise<AuditPruneSummary> {
    const report = await this.verify();
    if (!report.ok) {
      throw new Error(
        `the audit chain does not verify, nothing pruned: ${report.problem?.message}`,
      );
    }
    const through = await this.db.transaction().execute(async (trx) => {
      const head = await trx
        .selectFrom('audit_chain_head')
        .select('seq')
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const checkpoint = await trx
        .selectFrom('audit_chain_checkpoint')
        .select('seq')
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirstOrThrow();
      // Times follow seq only roughly (several daemons): stop before the first recent event.
      const firstKept = await trx
        .selectFrom('audit_events')
        .select((eb) => eb.fn.min('seq').as('seq'))
        .where('time', '>=', before)
        .where('seq', '>', checkpoint.seq)
        .executeTakeFirst();
      const last = firstKept?.seq != null ? BigInt(firstKept.seq) - 1n : BigInt(head.seq);
      if (last <= BigInt(checkpoint.seq)) return checkpoint.seq;
      const event = await trx
        .selectFrom('audit_events')
        .select(['seq', 'hash'])
        .where('seq', '=', last.toString())
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('audit_chain_checkpoint')
        .set({ seq: event.seq, hash: event.hash, pruned_at: new Date() })
        .where('id', '=', 1)
        .execute();
      await appendAuditEvents(trx, [
        this.prepare({
          event: AUDIT_PRUNED_EVENT,
          access: 'write',
          actor: 'retention',
          outcome: 'success',
          change: { through_seq: event.seq, hash: event.hash, before: before.toISOString() },
        }),
      ]);
      return event.seq;
    });
    // Batches after the checkpoint commits: an interrupted prune leaves covered events that
    // verification already skips and the next prune removes.
    let deleted = 0;
    for (;;) {
      const result = await this.db
        .deleteFrom('audit_events')
        .where('seq', 'in', (eb) =>
          eb
            .selectFrom('audit_events')
            .select('seq')
            .where('seq', '<=', through)
            .orderBy('seq')
            .limit(PRUNE_BATCH),
        )
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      deleted += n;
      if (n < PRUNE_BATCH) break;
    }
    return { deleted, through_seq: through };
  }

  private kick(): void {
    if (this.#draining) return;
    this.#draining = this.drain().finally(() => {
      this.#draining = undefined;
      if (this.#pending.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, BATCH);
      try {
        await this.append(batch.map((p) => p.fields));
        for (const p of batch) p.resolve();
      } catch (err) {
        if (batch.length === 1) {
          batch[0]!.reject(err);
          continue;
        }
        // One bad event must not take its batch-mates down: retry them one by one.
        for (const p of batch) {
          await this.append([p.fields]).then(p.resolve, p.reject);
        }
      }
    }
  }

  // One event is one statement, its own transaction; several need one around their two.
  private async append(rows: readonly HashedFields[]): Promise<void> {
    if (rows.length === 1) return appendAuditEvents(this.db, rows);
    await this.db.transaction().execute((trx) => appendAuditEvents(trx, rows));
  }

  private prepare(input: AuditEventInput): HashedFields {
    const secretPaths = [
      ...(this.options.secretPaths?.(input) ?? []),
      ...sensitiveOf(input.resource),
    ];
    let change: string | null = null;
    if (input.change !== undefined) {
      change = JSON.stringify(redactSecrets(input.change, secretPaths)) ?? null;
      if (change !== null && change.length > MAX_CHANGE_CHARS) {
        change = JSON.stringify({ truncated: true, chars: change.length });
      }
    }
    return {
      time: (this.options.now?.() ?? new Date()).toISOString(),
      event: clean(input.event, 128)!,
      access: input.access === 'write' ? 'write' : 'read',
      resource: clean(input.resource, 512),
      account_id: clean(input.accountId, 128),
      actor: clean(input.actor, 128)!,
      outcome: input.outcome,
      ip: clean(input.ip, 64),
      request_id: clean(input.requestId, 128),
      change,
    };
  }
}

// The catalogue's secret and sensitive attributes of the event's kind (`user/user_01...`).
function sensitiveOf(resource: string | undefined): readonly string[] {
  try {
    return resource ? getKind(resource.split('/')[0]!).sensitive : [];
  } catch {
    return [];
  }
}

const ANY_SURROGATE = /[\ud800-\udfff]/;

// Postgres text refuses NUL and the driver rewrites lone surrogates: store exactly what is hashed.
function clean(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  const text = String(value);
  // The usual case, checked first (every read's event cleans six fields): short enough, no NUL
  // and no surrogate at all, so nothing to cut or replace.
  if (text.length <= max && !text.includes('\0') && !ANY_SURROGATE.test(text)) return text;
  return text
    .slice(0, max)
    .replaceAll(String.fromCharCode(0), '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
