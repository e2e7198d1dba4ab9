// Issue 13: the embedded `pgdata` folder was world-readable (0755) beside a 0600 key file.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.js';

const root = mkdtempSync(join(tmpdir(), 'telform-mode-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o777;

describe('embedded data directory permissions', () => {
  it('creates the data directory and pgdata owner-only, and tightens a pgdata made 0755', async () => {
    const fresh = join(root, 'fresh');
    const opened = await openDatabase({ dataDir: fresh });
    await opened.close();
    expect(mode(fresh)).toBe(0o700);
    expect(mode(join(fresh, 'pgdata'))).toBe(0o700);

    // A pgdata left by an earlier version with the old mode: opening it again fixes the mode.
    chmodSync(join(fresh, 'pgdata'), 0o755);
    const reopened = await openDatabase({ dataDir: fresh });
    await reopened.close();
    expect(mode(join(fresh, 'pgdata'))).toBe(0o700);
  }, 120_000);
});
