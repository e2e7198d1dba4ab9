import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../src/storage/state-store.js';
import { testEmulator } from './support/emulator-client.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'telform-emu-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const user = (i: number) => ({ name: `n${i}`, login: `user${i}`, email: `u${i}@acme.example` });

describe('durable storage', () => {
  it('keeps accounts, objects, keys and histories across a restart', async () => {
    const dataDir = tempDir();
    const first = await testEmulator({ dataDir, partnerKey: 'pk' });
    const a = await first.account();
    const u = await first.call('POST', `/v1/accounts/${a.id}/users`, {
      ...user(1),
      client_reference: 'user_ref1',
    });
    await first.call('DELETE', `/v1/accounts/${a.id}/users/${u.body.id}`);
    const u2 = await first.call('POST', `/v1/accounts/${a.id}/users`, user(2));
    await first.close();

    const second = await testEmulator({ dataDir, partnerKey: 'pk' });
    expect(
      (await second.call('GET', `/v1/accounts/${a.id}/users/${u2.body.id}`, undefined, a.apiKey))
        .status,
    ).toBe(200);
    expect((await second.call('GET', `/v1/accounts/${a.id}/users/${u.body.id}`)).status).toBe(404);
    expect(
      (await second.call('GET', `/v1/accounts/${a.id}/deletion_history`)).body.entries,
    ).toHaveLength(1);
    const journal = join(dataDir, 'journal.jsonl');
    expect(statSync(journal).mode & 0o077).toBe(0);
    expect(readFileSync(journal, 'utf8')).not.toContain(a.apiKey);
    const u3 = await second.call('POST', `/v1/accounts/${a.id}/users`, user(3));
    expect(u3.body.id).not.toBe(u2.body.id);
    await second.close();
  });

  it('refuses a second process on the same data dir with a clear error', async () => {
    const dataDir = tempDir();
    const first = await StateStore.open(dataDir);
    await expect(StateStore.open(dataDir, 0)).rejects.toThrow(/in use by another process/);
    await first.close();
  });

  it('ignores a torn last line left by a crash mid-write', async () => {
    const dataDir = tempDir();
    const first = await testEmulator({ dataDir, partnerKey: 'pk' });
    const a = await first.account();
    await first.close();
    appendFileSync(join(dataDir, 'journal.jsonl'), '{"op":"put","coll":"objects","key":"x","va');
    const second = await testEmulator({ dataDir, partnerKey: 'pk' });
    expect((await second.call('GET', `/v1/accounts/${a.id}`)).status).toBe(200);
    await second.close();
  });

  it('loses no acknowledged write when the process is killed with SIGKILL under load', async () => {
    const dataDir = tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'support/run-emulator.ts'), dataDir, 'pk'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (b: Buffer) =>
        resolve((JSON.parse(b.toString()) as { url: string }).url),
      );
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer pk', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const acct = (await (
      await post('/v1/accounts', { name: 'Crash', email: 'c@acme.example' })
    ).json()) as { id: string };
    const acked: string[] = [];
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; ; i++) {
        try {
          const res = await post(`/v1/accounts/${acct.id}/users`, user(w * 10_000 + i));
          if (res.status === 201) acked.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the process is gone
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill('SIGKILL');
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThan(20);

    const after = await testEmulator({ dataDir, partnerKey: 'pk' });
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; next_cursor: string | null } } =
        await after.call(
          'GET',
          `/v1/accounts/${acct.id}/users?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        );
      for (const item of page.body.items as Array<{ id: string }>) ids.add(item.id);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    await after.close();
  }, 30_000);
});
