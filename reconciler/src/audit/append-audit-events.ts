import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { eventHash, hashedContent, type HashedFields } from './audit-event.js';

/**
 * Appends `rows` to the hash chain in as few statements as the count allows, on `db` (a
 * transaction or the pool).
 *
 * One event: one statement, atomic by itself, so it needs no transaction of its own and costs
 * one statement inside a write's transaction. Its UPDATE locks the chain head, advances it and
 * chains the event in SQL (sha256 over the previous hash and the event's canonical JSON, the
 * same bytes `eventHash` hashes, so verification stays in JS), and the INSERT takes both links
 * from the UPDATE's RETURNING. Under concurrency the UPDATE waits for the head and then reads its
 * newest version (READ COMMITTED re-evaluates the row it locked), so the links never go stale.
 *
 * Several events (a group commit, a batch of reads): two statements, which must run inside a
 * transaction: the head locked and read, the events chained in JS, then one statement inserting
 * them all and moving the head.
 */
export async function appendAuditEvents(
  db: Kysely<Database>,
  rows: readonly HashedFields[],
): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length === 1) return appendOne(db, rows[0]!);
  const head = await db
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let seq = BigInt(head.seq);
  let prev = head.hash;
  const values = rows.map((fields) => {
    seq += 1n;
    const hash = eventHash(prev, fields);
    const row = { ...fields, seq: seq.toString(), prev_hash: prev, hash };
    prev = hash;
    return row;
  });
  await db
    .with('appended', (w) => w.insertInto('audit_events').values(values))
    .updateTable('audit_chain_head')
    .set({ seq: seq.toString(), hash: prev, prev_hash: values.at(-1)!.prev_hash })
    .where('id', '=', 1)
    .execute();
}

async function appendOne(db: Kysely<Database>, f: HashedFields): Promise<void> {
  const result = await sql`
    with head as (
      update audit_chain_head
      set seq = seq + 1,
        prev_hash = hash,
        hash = encode(sha256(convert_to(hash || ${hashedContent(f)}::text, 'UTF8')), 'hex')
      where id = 1
      returning seq, prev_hash, hash
    )
    insert into audit_events
      (time, event, access, resource, account_id, actor, outcome, ip, request_id, change,
       seq, prev_hash, hash)
    select ${f.time}::timestamptz, ${f.event}::text, ${f.access}::text, ${f.resource}::text,
      ${f.account_id}::text, ${f.actor}::text, ${f.outcome}::text, ${f.ip}::text,
      ${f.request_id}::text, ${f.change}::text, head.seq, head.prev_hash, head.hash
    from head`.execute(db);
  if (result.numAffectedRows !== 1n) throw new Error('the audit chain head is missing');
}
