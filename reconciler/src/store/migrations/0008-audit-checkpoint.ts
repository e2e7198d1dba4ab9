import { sql, type Kysely } from 'kysely';
import { GENESIS_HASH } from './0004-audit-events.js';

// Audit retention. The checkpoint is the last pruned event (seq and hash): verification starts
// from it instead of the genesis hash, so the remaining chain still proves itself. The
// append-only trigger now lets through the deletion of events the checkpoint already covers,
// and nothing else; the checkpoint itself only moves forward, onto an event of the chain.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_chain_checkpoint')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('pruned_at', 'timestamptz')
    .execute();
  await sql`insert into audit_chain_checkpoint (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(
    db,
  );
  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'DELETE' then
        if OLD.seq <= (select seq from audit_chain_checkpoint where id = 1) then
          return OLD;
        end if;
      end if;
      raise exception 'audit_events is append-only';
    end $$`.execute(db);
  await sql`
    create function audit_checkpoint_forward_only() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'UPDATE' and NEW.id = OLD.id and NEW.seq >= OLD.seq and exists (
        select 1 from audit_events where seq = NEW.seq and hash = NEW.hash
      ) then
        return NEW;
      end if;
      raise exception 'the audit checkpoint only moves forward, onto an event of the chain';
    end $$`.execute(db);
  await sql`
    create trigger audit_checkpoint_forward_only before update or delete on audit_chain_checkpoint
    for each row execute function audit_checkpoint_forward_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only';
    end $$`.execute(db);
  await db.schema.dropTable('audit_chain_checkpoint').execute();
  await sql`drop function audit_checkpoint_forward_only()`.execute(db);
}
