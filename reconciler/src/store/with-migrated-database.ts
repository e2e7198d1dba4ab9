import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';

/**
 * Opens the store, brings its schema up to date, runs `use`, and always closes it: what a
 * one-shot command needs (the daemon keeps its database open instead). A failed migration
 * throws before `use` runs.
 */
export async function withMigratedDatabase<T>(
  options: OpenDatabaseOptions,
  use: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const opened = await openDatabase(options);
  try {
    const migrated = await migrateToLatest(opened.db);
    if (migrated.error !== undefined) throw migrated.error;
    return await use(opened.db);
  } finally {
    await opened.close();
  }
}
