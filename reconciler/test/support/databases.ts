// Runs store-level suites on both dialects: embedded PGlite in a temp directory, and a fresh
// database on the run's throwaway PostgreSQL server (see postgres-server.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/open-database.js';

export type Dialect = 'postgres' | 'pglite';
export const dialects: readonly Dialect[] = ['pglite', 'postgres'];

/** A migrated, empty database of one dialect. `dispose()` closes it and removes its data. */
export interface TestDatabase {
  readonly dialect: Dialect;
  readonly opened: OpenedDatabase;
  readonly db: Kysely<Database>;
  /** Postgres only: the URL, for other processes (a second daemon) to share the database. */
  readonly databaseUrl?: string;
  /** PGlite only: the locked data directory. */
  readonly dataDir?: string;
  dispose(): Promise<void>;
}

/** Creates an empty database on the throwaway server and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** Opens a fresh, migrated database of `dialect`. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'postgres') {
    const pgdb = await createPostgresDatabase();
    const opened = await openDatabase({ databaseUrl: pgdb.url });
    await mustMigrate(opened);
    return {
      dialect,
      opened,
      db: opened.db,
      databaseUrl: pgdb.url,
      async dispose() {
        await opened.close();
        await pgdb.drop();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'telform-pglite-'));
  const opened = await openDatabase({ dataDir });
  await mustMigrate(opened);
  return {
    dialect,
    opened,
    db: opened.db,
    dataDir,
    async dispose() {
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function mustMigrate(opened: OpenedDatabase): Promise<void> {
  const outcome = await migrateToLatest(opened.db);
  if (outcome.error !== undefined) throw outcome.error;
}

/**
 * Declares `body` once per dialect, inside `describe('<title> [<dialect>]')`. `body` receives a
 * getter, valid from `beforeAll` on, for that suite's database. Usage:
 *
 *   describeEachDatabase('ResourceStore', (database) => {
 *     it('creates', async () => { const { db } = database(); ... });
 *   });
 */
export function describeEachDatabase(
  title: string,
  body: (database: () => TestDatabase) => void,
): void {
  for (const dialect of dialects) {
    describe(`${title} [${dialect}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await current?.dispose();
      });
      body(() => {
        if (!current) throw new Error(`${dialect} test database used before beforeAll ran`);
        return current;
      });
    });
  }
}
