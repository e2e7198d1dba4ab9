// A real server closes connections on its own (restart, failover, an operator's
// pg_terminate_backend). The store must shrug that off instead of stopping the process.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/store/open-database.js';
import { createPostgresDatabase } from '../support/databases.js';

describe('openDatabase on a real server', () => {
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let opened: OpenedDatabase;
  const idleErrors: Error[] = [];

  beforeAll(async () => {
    target = await createPostgresDatabase();
    opened = await openDatabase({
      databaseUrl: target.url,
      poolSize: 3,
      onIdleConnectionError: (err) => idleErrors.push(err),
    });
  });
  afterAll(async () => {
    await opened?.close();
    await target?.drop();
  });

  it('survives the server terminating its idle connections, and reconnects', async () => {
    // Three concurrent queries leave three idle connections in the pool.
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(opened.db)));
    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    let terminated: number;
    try {
      const name = new URL(target.url).pathname.slice(1);
      const { rows } = await admin.query(
        'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1',
        [name],
      );
      terminated = rows.length;
      expect(terminated).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // Every terminated connection reports, and leaves the pool, before the next checkout.
    await expect.poll(() => idleErrors.length).toBe(terminated);
    expect(idleErrors[0]!.message).toMatch(/terminating connection/);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(opened.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
