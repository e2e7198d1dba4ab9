import type pg from 'pg';
import { onOffSetting } from './on-off-setting.js';
import type { ListenHandlers, Subscription } from './open-database.js';

/**
 * An open embedded PGlite as openDatabase uses it, on a worker thread (open-pglite-worker.ts,
 * the default) or on the calling thread (open-pglite-in-thread.ts).
 *
 * Contract: `pool` has one connection, PGlite's one session. `listen` LISTENs on a checked
 * channel name and calls `onNotify` for each NOTIFY of this process; `onLost` only if PGlite
 * itself stopped. `close` is called once, after the pool ended, and closes PGlite, its data
 * written to disk.
 */
export interface EmbeddedPglite {
  readonly pool: pg.Pool;
  listen(channel: string, handlers: ListenHandlers): Promise<Subscription>;
  close(): Promise<void>;
}

/**
 * TELFORM_PGLITE_WORKER: `on` (default), PGlite on a worker thread so that queries never hold
 * the event loop; `off`, on the main thread as before (one fewer thread, every query blocking).
 */
export function pgliteWorkerFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return onOffSetting(env, 'TELFORM_PGLITE_WORKER');
}
