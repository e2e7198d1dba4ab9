import pg from 'pg';
import type { EmbeddedPglite } from './embedded-pglite.js';
import type { ListenHandlers } from './open-database.js';
import { PgliteThreadSocket } from './pglite-thread-socket.js';
import { startPgliteThread, type StartPgliteThreadOptions } from './pglite-thread.js';

export interface OpenPgliteWorkerOptions extends StartPgliteThreadOptions {
  /** Told of a thread that stopped while no query was running (a running one fails with it). */
  readonly onIdleConnectionError: (err: Error) => void;
}

/**
 * PGlite on a worker thread (pglite-thread.ts), reached by `pg` over a socket to that thread:
 * queries run there, this thread only frames and parses the protocol. LISTEN and NOTIFY go
 * through the same session (pg reports each NOTIFY of this process as a notification).
 */
export async function openPgliteWorker(options: OpenPgliteWorkerOptions): Promise<EmbeddedPglite> {
  const { onIdleConnectionError, ...start } = options;
  const thread = await startPgliteThread(start);
  const pool = new pg.Pool({
    stream: () => new PgliteThreadSocket(thread),
    max: 1,
    // The session outlives a connection (PGlite has one): a new one would find the statements
    // the old one prepared, and pg would prepare them again. Keep the one connection.
    idleTimeoutMillis: 0,
    user: 'postgres',
    database: 'postgres',
  });
  pool.on('error', onIdleConnectionError);
  const channels = new Map<string, Set<ListenHandlers>>();
  pool.on('connect', (client) => {
    client.on('notification', ({ channel, payload }) => {
      for (const handlers of channels.get(channel) ?? []) handlers.onNotify(payload);
    });
    // A stopped thread fails the client's queries and the pool drops the client: an error
    // event on a client in use has nothing more to tell (without a listener it would throw).
    client.on('error', () => {});
  });
  thread.onFailure((err) => {
    const lost = [...channels.values()].flatMap((set) => [...set]);
    channels.clear();
    for (const handlers of lost) handlers.onLost(err);
  });
  return {
    pool,
    async listen(channel, handlers) {
      await pool.query(`listen ${channel}`);
      const listening = channels.get(channel) ?? new Set();
      channels.set(channel, listening.add(handlers));
      return {
        async close() {
          if (!listening.delete(handlers) || listening.size > 0) return;
          if (channels.get(channel) === listening) channels.delete(channel);
          if (!thread.failure) await pool.query(`unlisten ${channel}`);
        },
      };
    },
    close: () => thread.close(),
  };
}
