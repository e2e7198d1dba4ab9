import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createPostgresDatabase } from '../support/databases.js';

const all = Object.keys(migrations);

describe('migrations', () => {
  it('postgres: applies every step once, even with two daemons migrating at the same time', async () => {
    const pg = await createPostgresDatabase();
    const one = await openDatabase({ databaseUrl: pg.url });
    const two = await openDatabase({ databaseUrl: pg.url });
    try {
      expect(await pendingMigrations(one.db)).toEqual(all);
      const [a, b] = await Promise.all([migrateToLatest(one.db), migrateToLatest(two.db)]);
      expect(a.error).toBeUndefined();
      expect(b.error).toBeUndefined();
      const applied = [...a.results, ...b.results]
        .filter((r) => r.status === 'Success')
        .map((r) => r.migrationName);
      expect(applied.sort()).toEqual([...all].sort());
      expect(await pendingMigrations(one.db)).toEqual([]);
    } finally {
      await one.close();
      await two.close();
      await pg.drop();
    }
  });

  it('pglite: applies every step, and a reopened directory has nothing left to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telform-migrate-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      expect(first.dialect).toBe('pglite');
      const outcome = await migrateToLatest(first.db);
      expect(outcome.results.map((r) => [r.migrationName, r.status])).toEqual(
        all.map((m) => [m, 'Success']),
      );
      await first.close();
      const again = await openDatabase({ dataDir: dir });
      expect((await migrateToLatest(again.db)).results).toEqual([]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
