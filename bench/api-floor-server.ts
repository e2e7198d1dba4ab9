// The API benchmark's floor, run as a process of its own: bare fastify answering
// `GET /r/:id` with one primary-key SELECT of the `resources` table and `POST /r` with one
// INSERT into it, on the daemon's own database (the same Postgres server, or the same PGlite
// directory once the daemon has stopped). No auth, audit, validation or reconcile: whatever the
// daemon spends beyond this is its own cost. On PGlite it opens the store as the daemon does.
//
//   tsx bench/api-floor-server.ts <port> postgres <url>
//   tsx bench/api-floor-server.ts <port> pglite <dataDir>
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { pgliteSettings } from '../reconciler/src/store/pglite-settings.js';

type Query = (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;

const [port, store, where] = process.argv.slice(2);
if (!port || !where || (store !== 'postgres' && store !== 'pglite')) {
  console.error('usage: api-floor-server.ts <port> postgres <url> | pglite <dataDir>');
  process.exit(2);
}

let query: Query;
let close: () => Promise<void>;
if (store === 'postgres') {
  // The daemon's pool size (openDatabase's default).
  const pool = new pg.Pool({ connectionString: where, max: 10 });
  query = (text, params) => pool.query(text, params);
  close = () => pool.end();
} else {
  // Like for like with the daemon (store/open-database.ts): its settings, and node-postgres over
  // PGlite's adapter with one connection, the way the daemon's kysely reaches it.
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const db = await PGlite.create(join(where, 'pgdata'), {
    startParams: [...PGlite.defaultStartParams, ...pgliteSettings],
  });
  const config = createPgConfig(db);
  const pool = new pg.Pool({ ...config, connection: config.connection, max: 1 } as pg.PoolConfig);
  query = (text, params) => pool.query(text, params);
  close = async () => {
    await pool.end();
    await db.close();
  };
}

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/r/:id', async (request, reply) => {
  const { rows } = await query('select * from resources where id = $1', [request.params.id]);
  if (rows.length === 0) return reply.code(404).send({ code: 'not_found' });
  return rows[0];
});
app.post<{ Body: { account_id: string; name: string } }>('/r', async (request, reply) => {
  const body = request.body;
  const id = `user_floor${randomBytes(8).toString('hex')}`;
  // Not due for reconcile (applied, no next_reconcile_at): the row is inert.
  const { rows } = await query(
    `insert into resources (id, kind, account_id, root_account_id, spec, applied_generation, next_reconcile_at)
     values ($1, 'user', $2, $2, $3, 1, null) returning *`,
    [id, body.account_id, JSON.stringify(body)],
  );
  return reply.code(201).send(rows[0]);
});
await app.listen({ host: '127.0.0.1', port: Number(port), backlog: 4_096 });
process.stdout.write(`floor: http://127.0.0.1:${port}\n`);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(close)
    .finally(() => process.exit(0));
});
