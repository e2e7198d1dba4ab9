import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lockDirectory } from '../../src/store/directory-lock.js';
import { openDatabase } from '../../src/store/open-database.js';

const fixture = join(import.meta.dirname, 'fixtures', 'open-data-dir.ts');
const stallFixture = join(import.meta.dirname, 'fixtures', 'stall-holding-lock.ts');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'telform-lock-'));
  dirs.push(dir);
  return dir;
}

// Starts the fixture; resolves on "ready" or on exit, with what it printed.
function openInChild(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const outcome = new Promise<{ ready: boolean; code: number | null; stderr: string }>(
    (resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        if (c.toString().includes('ready')) resolve({ ready: true, code: null, stderr });
      });
      child.on('exit', (code) => resolve({ ready: false, code, stderr }));
    },
  );
  return { child, outcome };
}

// Each case starts PGlite in a child (a first start runs initdb in WebAssembly): on a busy 2-core
// machine that alone has taken over a minute, so the cases get a wide margin.
const slowStart = 300_000;

describe('embedded data directory lock', () => {
  it(
    'refuses a second process on the same directory, naming it and the holder pid',
    async () => {
      const dir = tempDir();
      const held = await openDatabase({ dataDir: dir });
      try {
        const { outcome } = openInChild(dir);
        const result = await outcome;
        expect(result.ready).toBe(false);
        expect(result.code).toBe(3);
        expect(result.stderr).toContain(
          `data directory ${dir} is locked by process ${process.pid}`,
        );
      } finally {
        await held.close();
      }
      // Released on close: the directory opens again, its data intact.
      const reopened = await openDatabase({ dataDir: dir });
      await reopened.close();
    },
    slowStart,
  );

  it(
    'takes over from a holder killed with SIGKILL once its lock goes stale',
    async () => {
      const dir = tempDir();
      const first = openInChild(dir);
      expect((await first.outcome).ready).toBe(true);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      const started = Date.now();
      const next = await openDatabase({ dataDir: dir });
      await next.close();
      // A bound on stale-lock detection, not a speed target: far above it, a dead holder would block.
      expect(Date.now() - started).toBeLessThan(90_000);
    },
    slowStart,
  );

  it(
    'a live holder whose event loop stalls past the stale time keeps its lock',
    async () => {
      const dir = tempDir();
      // A short stale time stands in for a PGlite query that blocks the thread for longer.
      const staleMs = 1_000;
      const holder = spawn(
        process.execPath,
        ['--import', 'tsx', stallFixture, dir, String(staleMs), '20000'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        let out = '';
        holder.stdout.on('data', (c: Buffer) => (out += c.toString()));
        await vi.waitUntil(() => out.includes('locked'), { timeout: 120_000, interval: 50 });
        // Stalled: its lock file stops moving and turns stale, though the holder is alive.
        const lockFile = join(dir, 'telform.lock');
        await vi.waitUntil(() => Date.now() - statSync(lockFile).mtimeMs > 2 * staleMs, {
          timeout: 120_000,
          interval: 50,
        });
        expect(out).not.toContain('resumed');
        await expect(lockDirectory(dir, { staleMs })).rejects.toThrow(
          `locked by process ${holder.pid}`,
        );
      } finally {
        holder.kill('SIGKILL');
      }
    },
    slowStart,
  );
});
