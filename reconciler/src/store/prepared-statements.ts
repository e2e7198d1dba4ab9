import type { CompiledQuery, Kysely, LogConfig, LogEvent } from 'kysely';
import type pg from 'pg';
import { onOffSetting } from './on-off-setting.js';

/**
 * Hot reads (GET one resource) run as named prepared statements: the server parses and plans
 * the statement once per connection instead of on every call, on Postgres and on PGlite alike
 * (both sit behind a `pg.Pool`; pg's `name` option sends Parse once, then Bind/Execute only).
 */
export interface PreparedStatementOptions {
  /** Off: every statement is sent unnamed, as kysely sends them (TELFORM_PG_PREPARED_STATEMENTS=off). */
  readonly enabled: boolean;
  /**
   * Names prepared per connection at most (default 200); a statement past the bound runs
   * unnamed. The names are a fixed set (one per kind and query), so this only bounds a mistake.
   */
  readonly maxPerConnection?: number;
  /**
   * The database's kysely log: a function is told of each prepared statement as kysely tells
   * it of its own; with a list of levels (kysely's console logger) statements stay unnamed, so
   * that the log misses none.
   */
  readonly log?: LogConfig;
}

interface Runner {
  rows<R>(name: string, query: CompiledQuery<R>): Promise<R[]>;
}

// pg's own record of what a connection has parsed (it skips Parse for a name it holds).
type ParsedStatements = { parsedStatements: Record<string, string> };

/** The error of a cached plan whose result columns changed since it was prepared. */
function isStalePlan(err: unknown): boolean {
  return (
    (err as { code?: string }).code === '0A000' &&
    /cached plan must not change result type/.test(String((err as Error).message))
  );
}

const runners = new WeakMap<object, Runner>();

/**
 * Makes {@link runPrepared} on `db` run named statements through `pool` (the pool `db`'s
 * dialect holds). Each connection keeps the names it prepared, at most `maxPerConnection`.
 */
export function registerPreparedStatements<DB>(
  db: Kysely<DB>,
  pool: pg.Pool,
  options: PreparedStatementOptions,
): void {
  if (!options.enabled || Array.isArray(options.log)) return;
  const log = options.log as ((event: LogEvent) => void | Promise<void>) | undefined;
  const max = options.maxPerConnection ?? 200;
  const prepared = new WeakMap<pg.PoolClient, Set<string>>();
  runners.set(db, {
    async rows<R>(name: string, query: CompiledQuery<R>): Promise<R[]> {
      const client = await pool.connect();
      try {
        let names = prepared.get(client);
        if (!names) prepared.set(client, (names = new Set()));
        const named = names.has(name) || names.size < max;
        const config = {
          ...(named ? { name } : {}),
          text: query.sql,
          values: query.parameters as unknown[],
        };
        const started = log ? performance.now() : 0;
        try {
          const result = await client.query(config);
          if (named) names.add(name);
          // No log (the daemon's case): no clock reads, no await of nothing on every read.
          if (log) {
            await log({
              level: 'query',
              isStream: false,
              query,
              queryDurationMillis: performance.now() - started,
            });
          }
          return result.rows as R[];
        } catch (err) {
          // Another replica migrated (a column changed type): the plan this connection cached
          // no longer fits. Drop it and prepare again, once.
          if (!named || !isStalePlan(err)) {
            await log?.({
              level: 'error',
              error: err,
              query,
              queryDurationMillis: performance.now() - started,
            });
            throw err;
          }
          await client.query(`deallocate "${name.replaceAll('"', '""')}"`);
          delete (client as unknown as { connection: ParsedStatements }).connection
            .parsedStatements[name];
          const result = await client.query(config);
          names.add(name);
          await log?.({
            level: 'query',
            isStream: false,
            query,
            queryDurationMillis: performance.now() - started,
          });
          return result.rows as R[];
        }
      } finally {
        client.release();
      }
    },
  });
}

/**
 * Runs `query` (compiled once, see reusable-query.ts) as the prepared statement `name` when
 * `db` has prepared statements on, else as kysely runs any query. `name` must stand for one
 * SQL text only (pg refuses a name reused for another text).
 */
export async function runPrepared<DB, R>(
  db: Kysely<DB>,
  name: string,
  query: CompiledQuery<R>,
): Promise<R[]> {
  const runner = runners.get(db);
  if (runner) return runner.rows(name, query);
  return (await db.executeQuery(query)).rows;
}

/** TELFORM_PG_PREPARED_STATEMENTS: `on` (default) or `off`; anything else is refused. */
export function preparedStatementsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return onOffSetting(env, 'TELFORM_PG_PREPARED_STATEMENTS');
}
