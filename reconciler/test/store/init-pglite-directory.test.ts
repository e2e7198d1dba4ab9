// A new embedded data directory is a copy of the built template (no initdb in the daemon's
// process) or, without one, initdb's output from a child process; it appears under its name
// only once whole, so a start killed halfway is redone by the next one, never used half-made.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initPgliteDirectory } from '../../src/store/init-pglite-directory.js';
import { openDatabase } from '../../src/store/open-database.js';
import {
  isCurrentTemplate,
  TEMPLATE_MANIFEST,
  writePgdataTemplate,
} from '../../src/store/pgdata-template.js';

const fixture = join(import.meta.dirname, 'fixtures', 'init-pglite-directory.ts');
// initdb in WebAssembly has taken over a minute on a busy 2-core machine.
const slow = 300_000;
const mode = (path: string) => statSync(path).mode & 0o777;

describe('initPgliteDirectory', () => {
  const root = mkdtempSync(join(tmpdir(), 'telform-initdb-'));
  const template = join(root, 'template');
  let n = 0;
  const newDataDir = () => {
    const dir = join(root, `data-${++n}`);
    mkdirSync(dir);
    return dir;
  };
  beforeAll(() => writePgdataTemplate(template), slow);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes a template whole, with the manifest naming the installed PGlite', () => {
    expect(isCurrentTemplate(template)).toBe(true);
    expect(readdirSync(root).filter((name) => name.includes('.partial'))).toEqual([]);
    // A folder without the manifest (a build killed before it was written) is no template.
    const unfinished = join(root, 'unfinished-template');
    mkdirSync(unfinished);
    writeFileSync(join(unfinished, 'PG_VERSION'), readFileSync(join(template, 'PG_VERSION')));
    expect(isCurrentTemplate(unfinished)).toBe(false);
  });

  it.each([
    // What a built daemon does: a copy, and the process never holds initdb's WebAssembly.
    { how: 'from the template', template: () => template },
    // A source checkout never built: initdb in a child process.
    { how: 'by initdb without a template', template: () => null },
  ])(
    'makes a directory $how that PostgreSQL opens, owner-only',
    async (c) => {
      const dataDir = newDataDir();
      const pgdata = join(dataDir, 'pgdata');
      await initPgliteDirectory(pgdata, { template: c.template() });
      expect(readFileSync(join(pgdata, 'PG_VERSION'), 'utf8')).toMatch(/^\d+/);
      expect(existsSync(join(pgdata, TEMPLATE_MANIFEST))).toBe(false);
      expect(mode(pgdata)).toBe(0o700);
      expect(mode(join(pgdata, 'PG_VERSION'))).toBe(0o600);
      expect(readdirSync(dataDir).filter((name) => name.includes('.partial'))).toEqual([]);
      // Real PostgreSQL semantics: a table, a unique index that refuses a duplicate.
      const opened = await openDatabase({ dataDir, pgdataTemplate: null });
      try {
        await sql`create table t (k text primary key)`.execute(opened.db);
        await sql`insert into t values ('a')`.execute(opened.db);
        await expect(sql`insert into t values ('a')`.execute(opened.db)).rejects.toThrow(
          /duplicate key/,
        );
      } finally {
        await opened.close();
      }
    },
    slow,
  );

  it('leaves an existing data directory as it is', async () => {
    const pgdata = join(newDataDir(), 'pgdata');
    await initPgliteDirectory(pgdata, { template });
    // A marker a new directory would not hold: a second call must not make it again.
    writeFileSync(join(pgdata, 'telform-marker'), 'kept');
    await initPgliteDirectory(pgdata, { template });
    expect(readFileSync(join(pgdata, 'telform-marker'), 'utf8')).toBe('kept');
  });

  it('throws away a partial directory left by a killed start and makes the directory anew', async () => {
    const dataDir = newDataDir();
    const pgdata = join(dataDir, 'pgdata');
    // What a kill -9 during the copy leaves: a partial folder that already holds PG_VERSION.
    const partial = join(dataDir, 'pgdata.partial-1-deadbeef');
    mkdirSync(partial);
    writeFileSync(join(partial, 'PG_VERSION'), readFileSync(join(template, 'PG_VERSION')));
    // An earlier telform made pgdata empty before initdb filled it: no database, redone too.
    mkdirSync(pgdata);
    await initPgliteDirectory(pgdata, { template });
    expect(existsSync(partial)).toBe(false);
    expect(readdirSync(pgdata).sort()).toEqual(
      readdirSync(template)
        .filter((name) => name !== TEMPLATE_MANIFEST)
        .sort(),
    );
  });

  it(
    'never shows a half-made pgdata when the process is killed with SIGKILL while making it',
    async () => {
      const dataDir = newDataDir();
      const pgdata = join(dataDir, 'pgdata');
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, pgdata, template], {
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Killed as soon as its partial folder holds PG_VERSION (or, on a fast disk, once done).
      const partialHasVersion = () =>
        readdirSync(dataDir).some(
          (name) =>
            name.startsWith('pgdata.partial-') && existsSync(join(dataDir, name, 'PG_VERSION')),
        );
      while (!partialHasVersion() && !existsSync(pgdata) && child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 2));
      child.kill('SIGKILL');
      await exited;
      // Either no pgdata at all, or a whole one: never PG_VERSION beside missing files.
      if (existsSync(pgdata))
        expect(readdirSync(pgdata).length).toBe(readdirSync(template).length - 1);
      await initPgliteDirectory(pgdata, { template });
      const opened = await openDatabase({ dataDir, pgdataTemplate: null });
      try {
        const { rows } = await sql<{ one: number }>`select 1 as one`.execute(opened.db);
        expect(rows).toEqual([{ one: 1 }]);
      } finally {
        await opened.close();
      }
      expect(readdirSync(dataDir).filter((name) => name.includes('.partial'))).toEqual([]);
    },
    slow,
  );

  it('refuses, naming the directory, a pgdata that is not a folder, and leaves it there', async () => {
    const dataDir = newDataDir();
    const blocked = join(dataDir, 'pgdata');
    writeFileSync(blocked, 'not a directory');
    await expect(initPgliteDirectory(blocked, { template })).rejects.toThrow(
      `could not initialise the embedded database in ${blocked}`,
    );
    expect(readFileSync(blocked, 'utf8')).toBe('not a directory');
  });
});
