// Issue 14: PGlite runs on a worker thread. When that thread dies, every query must fail with
// a reason instead of waiting for an answer that never comes, and so must a start that fails.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initPgliteDirectory } from '../../src/store/init-pglite-directory.js';
import { openPgliteWorker } from '../../src/store/open-pglite-worker.js';
import { pgliteSettings } from '../../src/store/pglite-settings.js';
import { pgliteWorkerFile, startPgliteThread } from '../../src/store/pglite-thread.js';

const root = mkdtempSync(join(tmpdir(), 'telform-thread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a PGlite thread that stops', () => {
  const pgdata = join(root, 'pgdata');
  beforeAll(() => initPgliteDirectory(pgdata), 120_000);

  it('fails the running query, the next one and the subscriptions with its reason', async () => {
    const idle: Error[] = [];
    const embedded = await openPgliteWorker({
      pgdata,
      settings: pgliteSettings,
      onIdleConnectionError: (err) => idle.push(err),
      workerFile: new URL('./fixtures/crashing-pglite-worker.mjs', import.meta.url),
    });
    const lost: Error[] = [];
    await embedded.listen('crash_watch', { onNotify: () => {}, onLost: (err) => lost.push(err) });
    expect((await embedded.pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);

    const stopped = /the embedded database \(PGlite\) stopped: .*the thread crashed \(test\)/s;
    await expect(embedded.pool.query('select 1 as crash_the_thread')).rejects.toThrow(stopped);
    // A new connection on the stopped thread is refused at once, with the same reason.
    await expect(embedded.pool.query('select 2')).rejects.toThrow(stopped);
    expect(lost.map((err) => err.message)).toEqual([expect.stringMatching(stopped)]);
    await embedded.pool.end();
    await embedded.close();
  });

  it('fails the start with PGlite’s reason when the directory cannot be made', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    await expect(
      startPgliteThread({ pgdata: join(file, 'pgdata'), settings: pgliteSettings }),
    ).rejects.toThrow(/the embedded database \(PGlite\) did not start: ENOTDIR/);
  });
});

describe('pgliteWorkerFile', () => {
  const layout = (files: readonly string[]) => {
    const dir = mkdtempSync(join(root, 'layout-'));
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    return dir;
  };
  it.each([
    {
      why: 'the sources: beside the module that starts it',
      files: ['store/pglite-thread.ts', 'store/pglite-worker.mjs'],
      from: 'store/pglite-thread.ts',
      want: 'store/pglite-worker.mjs',
    },
    {
      why: 'the bundle: the module in dist/cli/chunks/, the worker beside the command',
      files: ['dist/cli/chunks/chunk-X.mjs', 'dist/cli/pglite-worker.mjs'],
      from: 'dist/cli/chunks/chunk-X.mjs',
      want: 'dist/cli/pglite-worker.mjs',
    },
  ])('$why', ({ files, from, want }) => {
    const dir = layout(files);
    expect(pgliteWorkerFile(pathToFileURL(join(dir, from)).href)).toEqual(
      pathToFileURL(join(dir, want)),
    );
  });

  it('names the missing file instead of starting nothing', () => {
    const dir = layout(['dist/cli/telform.mjs']);
    expect(() => pgliteWorkerFile(pathToFileURL(join(dir, 'dist/cli/telform.mjs')).href)).toThrow(
      /pglite-worker\.mjs is missing beside .*telform\.mjs/,
    );
  });
});
