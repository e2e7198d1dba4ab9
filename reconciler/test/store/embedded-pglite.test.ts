// Issue 14: the embedded store runs PGlite on a worker thread by default, so that no query
// holds the daemon's event loop; TELFORM_PGLITE_WORKER=off keeps it on the main thread. Both
// must keep what the daemon relies on: NOTIFY reaching this process's subscribers (the token
// cache), and every write that was answered being there after a close and a reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteWorkerFromEnv } from '../../src/store/embedded-pglite.js';
import { openDatabase } from '../../src/store/open-database.js';

const root = mkdtempSync(join(tmpdir(), 'telform-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  { mode: 'worker thread', pgliteWorker: true },
  { mode: 'main thread', pgliteWorker: false },
])('embedded PGlite on the $mode', ({ pgliteWorker }) => {
  const dataDir = join(root, pgliteWorker ? 'worker' : 'main');
  const open = () => openDatabase({ dataDir, pgliteWorker });

  it('delivers a NOTIFY once its transaction commits, and none after the subscription closed', async () => {
    const opened = await open();
    try {
      const heard: Array<string | undefined> = [];
      const subscription = await opened.listen!('embedded_test', {
        onNotify: (payload) => heard.push(payload),
        onLost: (err) => heard.push(`lost: ${err.message}`),
      });
      await opened.db.transaction().execute(async (tx) => {
        await sql`select pg_notify('embedded_test', 'in a transaction')`.execute(tx);
        expect(heard).toEqual([]);
      });
      await expect.poll(() => heard).toEqual(['in a transaction']);
      await subscription.close();
      await sql`select pg_notify('embedded_test', 'after close')`.execute(opened.db);
      // A notice still to come would arrive with the next reply: run one, then look.
      await sql`select 1`.execute(opened.db);
      expect(heard).toEqual(['in a transaction']);
    } finally {
      await opened.close();
    }
  });

  it('keeps every answered write across a close and a reopen', async () => {
    const first = await open();
    try {
      await sql`create table kept (n int primary key)`.execute(first.db);
      // Concurrent writes, all in flight when the last is sent: each answered one must be kept.
      await Promise.all(
        Array.from({ length: 50 }, (_, n) => sql`insert into kept values (${n})`.execute(first.db)),
      );
    } finally {
      await first.close();
    }
    const again = await open();
    try {
      const { rows } = await sql<{ count: string }>`select count(*) from kept`.execute(again.db);
      expect(rows).toEqual([{ count: '50' }]);
    } finally {
      await again.close();
    }
  });
});

describe('embedded PGlite on the worker thread', () => {
  it('leaves the event loop free while a query runs', async () => {
    const opened = await openDatabase({ dataDir: join(root, 'loop'), pgliteWorker: true });
    try {
      let running = true;
      let turnsWhileRunning = 0;
      const tick = setInterval(() => running && turnsWhileRunning++, 1);
      try {
        await sql`select pg_sleep(1)`.execute(opened.db);
        running = false;
      } finally {
        clearInterval(tick);
      }
      // On the main thread the same second is one blocked turn: no timer fires during it.
      expect(turnsWhileRunning).toBeGreaterThan(0);
    } finally {
      await opened.close();
    }
  });
});

describe('TELFORM_PGLITE_WORKER', () => {
  it.each([
    { raw: undefined, want: true, why: 'unset: on, the default' },
    { raw: '', want: true, why: 'empty counts as unset' },
    { raw: 'on', want: true, why: 'on' },
    { raw: 'off', want: false, why: 'off: PGlite on the main thread, as before issue 14' },
  ])('$why', ({ raw, want }) => {
    expect(pgliteWorkerFromEnv({ TELFORM_PGLITE_WORKER: raw })).toBe(want);
  });

  it('refuses anything else, naming the variable and the rule', () => {
    expect(() => pgliteWorkerFromEnv({ TELFORM_PGLITE_WORKER: 'yes' })).toThrow(
      /TELFORM_PGLITE_WORKER: must be on or off/,
    );
  });
});
