import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { lockDirectory, type DirectoryLock } from './directory-lock.js';

export interface OpenDatabaseOptions {
  /** `postgres://...`: a real server, shared by every daemon replica. */
  readonly databaseUrl?: string;
  /** Embedded PGlite state lives under here when no URL is given (default `./.telform`). */
  readonly dataDir?: string;
  /** Connections to a real server (ignored for PGlite, which has exactly one). */
  readonly poolSize?: number;
  /**
   * Called when an idle pooled connection dies (server restart, `pg_terminate_backend`, network).
   * The pool drops that connection and the next query opens a new one; without a listener, node
   * would treat the event as an uncaught error and stop the daemon. Default: a process warning.
   */
  readonly onIdleConnectionError?: (err: Error) => void;
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: 'postgres' | 'pglite';
  /** Ends the pool, closes PGlite and releases the directory lock. */
  close(): Promise<void>;
}

/**
 * Opens the store: kysely's PostgresDialect over a `pg.Pool`, connected either to the server at
 * `databaseUrl` or to an embedded PGlite in `<dataDir>/pgdata` through its node-postgres adapter.
 * The embedded directory is locked first; a second opener gets an error naming the holder.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    pool.on('error', options.onIdleConnectionError ?? warnIdleConnectionError);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const lock = await lockDirectory(options.dataDir ?? '.telform');
  try {
    return await openPglite(lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function openPglite(lock: DirectoryLock): Promise<OpenedDatabase> {
  // Loaded lazily: a Postgres-only process never pays for the WASM build.
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  // The database holds tenants' configuration and sealed secrets: owner only, like the key file.
  // chmod too, since mkdir's mode is masked by the umask and skips a directory made earlier.
  const pgdata = join(lock.dir, 'pgdata');
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  chmodSync(pgdata, 0o700);
  const pglite = await PGlite.create(pgdata);
  const config = createPgConfig(pglite);
  const pool = new pg.Pool({ ...config, connection: config.connection, max: 1 } as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    dialect: 'pglite',
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        await lock.release();
      }
    },
  };
}

function warnIdleConnectionError(err: Error): void {
  process.emitWarning(`telform: an idle database connection closed (${err.message}); reconnecting`);
}
