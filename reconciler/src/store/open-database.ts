import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { lockDirectory, type DirectoryLock } from './directory-lock.js';
import { initPgliteDirectory } from './init-pglite-directory.js';
import { openPgliteInThread } from './open-pglite-in-thread.js';
import { openPgliteWorker } from './open-pglite-worker.js';
import { pgliteSettings } from './pglite-settings.js';
import {
  registerPreparedStatements,
  type PreparedStatementOptions,
} from './prepared-statements.js';

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
   * would treat the event as an uncaught error and stop the daemon. On PGlite: its worker thread
   * stopped (every query fails with the same error). Default: a process warning.
   */
  readonly onIdleConnectionError?: (err: Error) => void;
  /**
   * kysely's log hook, told of every statement run (transaction begin and commit included):
   * what the statement-count tests pin. Absent: nothing logged.
   */
  readonly log?: LogConfig;
  /**
   * Where a new embedded directory is copied from (init-pglite-directory.ts); null: initdb.
   * Default: the template `npm run build` wrote, if any.
   */
  readonly pgdataTemplate?: string | null;
  /**
   * Hot reads as named prepared statements (prepared-statements.ts); default on. The daemon
   * takes it from TELFORM_PG_PREPARED_STATEMENTS.
   */
  readonly preparedStatements?: boolean;
  /**
   * Embedded PGlite on a worker thread, so that no query holds the event loop (default on);
   * off: on the calling thread. The daemon takes it from TELFORM_PGLITE_WORKER.
   */
  readonly pgliteWorker?: boolean;
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: 'postgres' | 'pglite';
  /**
   * LISTENs on `channel` and calls `onNotify` for each notice; resolves once listening. On
   * Postgres over a connection of its own, which calls `onLost` once if it dies (notices may
   * have been missed then; subscribe again). On PGlite in its one session, which hears every
   * NOTIFY of the one process that may open the directory (lost only if PGlite stopped).
   */
  readonly listen?: (channel: string, handlers: ListenHandlers) => Promise<Subscription>;
  /** Ends the pool, closes PGlite and releases the directory lock. */
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify(payload: string | undefined): void;
  onLost(err: Error): void;
}

export interface Subscription {
  close(): Promise<void>;
}

/**
 * Opens the store: kysely's PostgresDialect over a `pg.Pool`, connected either to the server at
 * `databaseUrl` or to an embedded PGlite in `<dataDir>/pgdata` (on a worker thread by default).
 * The embedded directory is locked first; a second opener gets an error naming the holder.
 */
function preparedOptions(options: OpenDatabaseOptions): PreparedStatementOptions {
  return {
    enabled: options.preparedStatements ?? true,
    ...(options.log ? { log: options.log } : {}),
  };
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    pool.on('error', options.onIdleConnectionError ?? warnIdleConnectionError);
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      ...(options.log ? { log: options.log } : {}),
    });
    registerPreparedStatements(db, pool, preparedOptions(options));
    const url = options.databaseUrl;
    return {
      db,
      dialect: 'postgres',
      listen: (channel, handlers) => listenOn(url, channel, handlers),
      close: () => db.destroy(),
    };
  }
  const lock = await lockDirectory(options.dataDir ?? '.telform');
  try {
    return await openPglite(lock, options);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function openPglite(
  lock: DirectoryLock,
  options: OpenDatabaseOptions,
): Promise<OpenedDatabase> {
  const { log, pgdataTemplate } = options;
  const pgdata = join(lock.dir, 'pgdata');
  await initPgliteDirectory(
    pgdata,
    pgdataTemplate === undefined ? {} : { template: pgdataTemplate },
  );
  // The database holds tenants' configuration and sealed secrets: owner only, like the key file
  // (a new one is made so; this tightens a directory an earlier version made 0755).
  chmodSync(pgdata, 0o700);
  const embedded =
    options.pgliteWorker === false
      ? await openPgliteInThread(pgdata, pgliteSettings)
      : await openPgliteWorker({
          pgdata,
          settings: pgliteSettings,
          onIdleConnectionError: options.onIdleConnectionError ?? warnIdleConnectionError,
        });
  const { pool } = embedded;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(log ? { log } : {}),
  });
  registerPreparedStatements(db, pool, preparedOptions(options));
  let closed = false;
  return {
    db,
    dialect: 'pglite',
    async listen(channel, handlers) {
      checkChannel(channel);
      const subscription = await embedded.listen(channel, handlers);
      return {
        async close() {
          if (!closed) await subscription.close();
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
        await embedded.close();
      } finally {
        await lock.release();
      }
    },
  };
}

async function listenOn(
  url: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<Subscription> {
  checkChannel(channel);
  const client = new pg.Client({ connectionString: url });
  let closing = false;
  let lost = false;
  const lose = (err: Error) => {
    if (closing || lost) return;
    lost = true;
    handlers.onLost(err);
  };
  client.on('error', lose);
  client.on('end', () => lose(new Error('the listening connection ended')));
  client.on('notification', (n) => {
    if (n.channel === channel) handlers.onNotify(n.payload);
  });
  await client.connect();
  try {
    await client.query(`listen ${channel}`);
  } catch (err) {
    closing = true;
    await client.end().catch(() => {});
    throw err;
  }
  return {
    async close() {
      closing = true;
      await client.end().catch(() => {});
    },
  };
}

function checkChannel(channel: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`listen: bad channel name ${channel}`);
}

function warnIdleConnectionError(err: Error): void {
  process.emitWarning(`telform: an idle database connection closed (${err.message}); reconnecting`);
}
