// A new embedded data directory is made by initdb in a child process, so that initdb's memory
// leaves with it; an existing one is left alone; a failure says where and why.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initPgliteDirectory } from '../../src/store/init-pglite-directory.js';

describe('initPgliteDirectory', () => {
  const root = mkdtempSync(join(tmpdir(), 'telform-initdb-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes a data directory once, and leaves an existing one as it is', async () => {
    const pgdata = join(root, 'pgdata');
    await initPgliteDirectory(pgdata);
    const version = readFileSync(join(pgdata, 'PG_VERSION'), 'utf8');
    expect(version).toMatch(/^\d+/);
    // A marker initdb would not leave: a second call must not run initdb again.
    writeFileSync(join(pgdata, 'telform-marker'), 'kept');
    await initPgliteDirectory(pgdata);
    expect(readFileSync(join(pgdata, 'telform-marker'), 'utf8')).toBe('kept');
  }, 300_000);

  it('rejects with the directory named when initdb cannot run there', async () => {
    // A file where the directory should be: the child fails and says so.
    const blocked = join(root, 'a-file');
    writeFileSync(blocked, 'not a directory');
    await expect(initPgliteDirectory(blocked)).rejects.toThrow(
      `could not initialise the embedded database in ${blocked}`,
    );
    expect(existsSync(join(blocked, 'PG_VERSION'))).toBe(false);
  }, 300_000);
});
