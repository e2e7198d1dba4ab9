import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  preparedStatementsFromEnv,
  registerPreparedStatements,
  runPrepared,
} from '../../src/store/prepared-statements.js';
import { createPostgresDatabase, dialects, type Dialect } from '../support/databases.js';

/** One connection (as PGlite has), so that what it prepared can be listed on it. */
async function openPool(dialect: Dialect): Promise<{ pool: pg.Pool; close(): Promise<void> }> {
  if (dialect === 'postgres') {
    const database = await createPostgresDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    return {
      pool,
      async close() {
        await pool.end();
        await database.drop();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const pglite = await PGlite.create();
  const config = createPgConfig(pglite);
  const pool = new pg.Pool({ ...config, connection: config.connection, max: 1 } as pg.PoolConfig);
  return {
    pool,
    async close() {
      await pool.end();
      await pglite.close();
    },
  };
}

const query = <R>(text: string, ...parameters: unknown[]) =>
  CompiledQuery.raw(text, parameters) as CompiledQuery<R>;

describe.each(dialects)('prepared statements on %s', (dialect) => {
  let opened: Awaited<ReturnType<typeof openPool>>;
  let kyselies: Kysely<unknown>[];
  const kysely = (options: Parameters<typeof registerPreparedStatements>[2]) => {
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: opened.pool }) });
    registerPreparedStatements(db, opened.pool, options);
    kyselies.push(db);
    return db;
  };
  // Listed with a plain query: the listing itself is never one of them.
  const preparedNames = async () =>
    (await opened.pool.query<{ name: string }>('select name from pg_prepared_statements')).rows
      .map((r) => r.name)
      .sort();

  beforeAll(async () => {
    opened = await openPool(dialect);
    kyselies = [];
  });
  afterAll(() => opened?.close());

  it('runs a statement under its name, prepared once per connection', async () => {
    const db = kysely({ enabled: true });
    const rows = [];
    for (const n of [1, 2]) {
      rows.push(
        ...(await runPrepared(db, 'p_add', query<{ v: number }>('select $1::int + 1 as v', n))),
      );
    }
    expect(rows).toEqual([{ v: 2 }, { v: 3 }]);
    expect(await preparedNames()).toContain('p_add');
  });

  it('past the bound per connection, statements run unnamed and still answer', async () => {
    await opened.pool.query('deallocate all');
    const db = kysely({ enabled: true, maxPerConnection: 2 });
    const answers = [];
    for (const name of ['b_one', 'b_two', 'b_three']) {
      answers.push(
        ...(await runPrepared(db, name, query<{ n: string }>('select $1::text as n', name))),
      );
    }
    expect(answers.map((a) => a.n)).toEqual(['b_one', 'b_two', 'b_three']);
    expect(await preparedNames()).toEqual(['b_one', 'b_two']);
  });

  it('prepares again, once, a plan another replica’s migration made stale', async () => {
    await opened.pool.query('create table stale (a int); insert into stale values (1)');
    const db = kysely({ enabled: true });
    const read = () => runPrepared(db, 's_read', query<{ a: unknown }>('select * from stale'));
    expect(await read()).toEqual([{ a: 1 }]);
    // The result type changes under the cached plan: Postgres refuses to run it as it is.
    await opened.pool.query('alter table stale alter column a type text');
    expect(await read()).toEqual([{ a: '1' }]);
    expect(await read()).toEqual([{ a: '1' }]);
  });

  it('passes any other error on, the failed name not kept as prepared', async () => {
    const db = kysely({ enabled: true });
    await expect(runPrepared(db, 'e_read', query('select nope'))).rejects.toThrow(/nope/);
    expect(await preparedNames()).not.toContain('e_read');
  });

  it('off, statements run unnamed through kysely', async () => {
    await opened.pool.query('deallocate all');
    const db = kysely({ enabled: false });
    expect(await runPrepared(db, 'o_add', query<{ v: number }>('select $1::int as v', 7))).toEqual([
      { v: 7 },
    ]);
    expect(await preparedNames()).toEqual([]);
  });
});

describe('TELFORM_PG_PREPARED_STATEMENTS', () => {
  it.each([
    { raw: undefined, want: true, why: 'unset: on, the default' },
    { raw: '', want: true, why: 'empty counts as unset' },
    { raw: 'on', want: true, why: 'on' },
    { raw: 'off', want: false, why: 'off, for a pooler that cannot keep session state' },
  ])('$why', ({ raw, want }) => {
    expect(preparedStatementsFromEnv({ TELFORM_PG_PREPARED_STATEMENTS: raw })).toBe(want);
  });

  it('refuses anything else, naming the variable and the rule', () => {
    expect(() => preparedStatementsFromEnv({ TELFORM_PG_PREPARED_STATEMENTS: 'yes' })).toThrow(
      /TELFORM_PG_PREPARED_STATEMENTS: must be on or off/,
    );
  });
});
