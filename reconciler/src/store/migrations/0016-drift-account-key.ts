import { sql, type Kysely } from 'kysely';

// A steady drift scan finds most accounts as it left them: the platform lists the same objects
// and nobody changed the desired state. Such an account needs no compare, and not even its rows
// read, which at 100,000 resources is most of what a scan costs. To know it without reading the
// rows, every resource carries `desired_seq`, drawn from one sequence whenever anything a scan
// reads of it changes (spec, generation, applied generation, platform id, owner, in-flight marks);
// a resource removed, or moved to another owner, draws a new one for its old owner row. So the
// greatest `desired_seq` of an account's rows (one probe of `resources_owner_seq`) and the
// account's own say whether its desired state moved. `drift_scans.clean_key` keeps what the last
// scan saw (drift/account-clean-key.ts); a sequence, not a counter row per account, so that
// concurrent writes in one account never wait for each other.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence resources_desired_seq`.execute(db);
  await sql`alter table resources
    add column desired_seq bigint not null default nextval('resources_desired_seq')`.execute(db);
  await db.schema
    .createIndex('resources_owner_seq')
    .on('resources')
    .columns(['account_id', 'desired_seq'])
    .execute();
  await sql`
    create function resources_desired_seq_bump() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then
        new.desired_seq := nextval('resources_desired_seq');
        if old.account_id is distinct from new.account_id and old.account_id is not null then
          update resources set desired_seq = nextval('resources_desired_seq')
            where id = old.account_id;
        end if;
        return new;
      end if;
      if old.account_id is not null then
        update resources set desired_seq = nextval('resources_desired_seq') where id = old.account_id;
      end if;
      return old;
    end $$`.execute(db);
  await sql`
    create trigger resources_desired_seq_update
    before update of spec, generation, applied_generation, external_id, account_id,
      create_pending_at, deletion_requested_at on resources
    for each row when ((new.spec, new.generation, new.applied_generation, new.external_id,
      new.account_id, new.create_pending_at, new.deletion_requested_at)
      is distinct from (old.spec, old.generation, old.applied_generation, old.external_id,
      old.account_id, old.create_pending_at, old.deletion_requested_at))
    execute function resources_desired_seq_bump()`.execute(db);
  await sql`
    create trigger resources_desired_seq_delete after delete on resources
    for each row execute function resources_desired_seq_bump()`.execute(db);
  await db.schema.alterTable('drift_scans').addColumn('clean_key', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('drift_scans').dropColumn('clean_key').execute();
  await sql`drop trigger resources_desired_seq_delete on resources`.execute(db);
  await sql`drop trigger resources_desired_seq_update on resources`.execute(db);
  await sql`drop function resources_desired_seq_bump()`.execute(db);
  await db.schema.dropIndex('resources_owner_seq').execute();
  await db.schema.alterTable('resources').dropColumn('desired_seq').execute();
  await sql`drop sequence resources_desired_seq`.execute(db);
}
