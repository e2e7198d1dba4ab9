import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { migrations } from './migrations/index.js';

export interface MigrateOutcome {
  /** One entry per migration this run tried: `Success`, `Error` or `NotExecuted`. */
  readonly results: readonly MigrationResult[];
  /** The failure, when one migration failed (later ones are `NotExecuted`). */
  readonly error?: unknown;
}

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'telform_migrations',
    migrationLockTableName: 'telform_migrations_lock',
  });
}

/**
 * Brings the schema to the latest migration. Never throws for a failed migration: the outcome
 * says which one failed and why (kysely's Migrator runs them in one locked transaction, so two
 * daemons starting together on one Postgres apply each step once).
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrateOutcome> {
  const { results, error } = await migrator(db as Kysely<unknown>).migrateToLatest();
  return error === undefined ? { results: results ?? [] } : { results: results ?? [], error };
}

/** Names of migrations known to the code but not applied to the database. */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const all = await migrator(db as Kysely<unknown>).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
