// The platform view of a read looks up the resources its references name by platform id; at
// 100,000 resources in one account a scan of the account costs ms per read. The lookup must be
// one an index can answer: resources_root_external (migration 0017), probed with the array.
import { CompiledQuery, sql } from 'kysely';
import { expect, it } from 'vitest';
import { platformViewColumns } from '../../src/drift/platform-view-columns.js';
import { representedColumns } from '../../src/resources/resource-representation.js';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('platform view lookup', (database) => {
  it('probes resources_root_external with the platform ids, not a filter over a scan', async () => {
    const db = database().db;
    const indexes = await sql<{ indexdef: string }>`
      select indexdef from pg_indexes where indexname = 'resources_root_external'`.execute(db);
    expect(indexes.rows[0]?.indexdef).toMatch(/\(root_account_id, external_id\)/);

    // Enough rows in one account for the planner to weigh the indexes (none are left behind:
    // the database is this file's own).
    await sql`insert into resources (id, kind, account_id, root_account_id, spec, external_id, observed)
      select 'user_' || i, 'user', 'acct_a', 'acct_a', jsonb_build_object('account_id', 'acct_a'),
        'p_' || i, jsonb_build_object('account_id', 'p_a')
      from generate_series(1, 2000) i`.execute(db);
    await sql`analyze resources`.execute(db);
    const read = db
      .selectFrom('resources as r')
      .select(representedColumns)
      .select(platformViewColumns('user'))
      .where('r.id', '=', 'user_7')
      .where('r.kind', '=', 'user')
      .compile();
    // The test table is tiny, where a scan is cheapest: ask what the plan is when it is not.
    const plan = await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${read.sql}`, [...read.parameters]),
      );
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    // The index's scan, with the platform ids in its condition (`in (select ...)` left them to a
    // filter: the index could only narrow the scan to the account).
    expect(plan).toMatch(/resources_root_external[^\n]*\n\s*Index Cond: [^\n]*\(external_id = ANY/);
  });
});
