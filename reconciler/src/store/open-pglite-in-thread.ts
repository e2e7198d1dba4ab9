import pg from 'pg';
import type { EmbeddedPglite } from './embedded-pglite.js';

/**
 * PGlite on this thread, through its node-postgres adapter: every query holds the event loop
 * while it runs (TELFORM_PGLITE_WORKER=off). NOTIFYs reach PGlite's own listeners.
 */
export async function openPgliteInThread(
  pgdata: string,
  settings: readonly string[],
): Promise<EmbeddedPglite> {
  // Loaded lazily: a Postgres-only process never pays for the WASM build.
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const pglite = await PGlite.create(pgdata, {
    startParams: [...PGlite.defaultStartParams, ...settings],
  });
  const config = createPgConfig(pglite);
  const pool = new pg.Pool({ ...config, connection: config.connection, max: 1 } as pg.PoolConfig);
  return {
    pool,
    async listen(channel, handlers) {
      const unlisten = await pglite.listen(channel, (payload) => handlers.onNotify(payload));
      return { close: () => unlisten() };
    },
    close: () => pglite.close(),
  };
}
