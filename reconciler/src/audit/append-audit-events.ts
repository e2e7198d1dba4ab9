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
 * them all (one array per column, unnested) and moving the head.
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
  // One array per column: the statement's text and its 16 parameters are the same whatever the
  // batch's size (a query builder's insert of N rows made and bound 13 x N values per batch).
  const col = {
    time: [] as string[],
    event: [] as string[],
    access: [] as string[],
    resource: [] as Array<string | null>,
    account: [] as Array<string | null>,
    actor: [] as string[],
    outcome: [] as string[],
    ip: [] as Array<string | null>,
    request: [] as Array<string | null>,
    change: [] as Array<string | null>,
    seq: [] as string[],
    prev: [] as string[],
    hash: [] as string[],
  };
  for (const f of rows) {
    seq += 1n;
    const hash = eventHash(prev, f);
    col.time.push(f.time);
    col.event.push(f.event);
    col.access.push(f.access);
    col.resource.push(f.resource);
    col.account.push(f.account_id);
    col.actor.push(f.actor);
    col.outcome.push(f.outcome);
    col.ip.push(f.ip);
    col.request.push(f.request_id);
    col.change.push(f.change);
    col.seq.push(seq.toString());
    col.prev.push(prev);
    col.hash.push(hash);
    prev = hash;
  }
  await sql`
    with appended as (
      insert into audit_events
        (time, event, access, resource, account_id, actor, outcome, ip, request_id, change,
         seq, prev_hash, hash)
      select * from unnest(${col.time}::timestamptz[], ${col.event}::text[],
        ${col.access}::text[], ${col.resource}::text[], ${col.account}::text[],
        ${col.actor}::text[], ${col.outcome}::text[], ${col.ip}::text[], ${col.request}::text[],
        ${col.change}::text[], ${col.seq}::bigint[], ${col.prev}::text[], ${col.hash}::text[])
    )
    update audit_chain_head set seq = ${seq.toString()}, hash = ${prev},
      prev_hash = ${col.prev.at(-1)!}
    where id = 1`.execute(db);
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
