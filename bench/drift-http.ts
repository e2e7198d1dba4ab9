// The drift scan as a partner sees it: the real HTTP driver against the bundled emulator, the same
// world as drift-world.ts (accounts of one account and 99 users, 1 in 100 edited on the platform,
// 1 unmanaged user per 10 accounts), on embedded PGlite. Seeded through the platform's API, one
// create per object, so it runs at a smaller size than the in-memory scan (DRIFT_BENCH_HTTP_ACCOUNTS).
// Its baseline makes the scan's own platform calls (the account's observe, every kind's pages,
// as many accounts and kinds at once as the scan) with no database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/src/index.js';
import { HttpPlatformDriver } from '../reconciler/src/driver/http-platform-driver.js';
import { DriftPolicyCache } from '../reconciler/src/drift/drift-policy-cache.js';
import { DriftScanner, type AccountScanResult } from '../reconciler/src/drift/drift-scanner.js';
import { forEachConcurrently } from '../reconciler/src/drift/for-each-concurrently.js';
import { listPlatformInventory } from '../reconciler/src/drift/platform-inventory.js';
import { AesGcmSecretBox } from '../reconciler/src/secrets/aes-gcm-secret-box.js';
import { migrateToLatest } from '../reconciler/src/store/migrate.js';
import { openDatabase } from '../reconciler/src/store/open-database.js';
import type { AppliedResource } from '../reconciler/test/drift/seed-resources.js';
import { seedResources } from '../reconciler/test/drift/seed-resources.js';
import { managedKinds } from '../schemas/src/index.js';
import { PER_ACCOUNT } from './drift-world.js';

export interface HttpScanRun {
  readonly accounts: number;
  readonly seedMs: number;
  readonly listMs: number;
  readonly firstMs: number;
  readonly steadyMs: number;
  readonly churnMs: number;
  readonly churned: number;
  readonly calls: number;
}

export async function runHttpScan(
  accounts: number,
  concurrency: number,
  timed: <T>(fn: () => Promise<T>) => Promise<{ ms: number; value: T }>,
): Promise<HttpScanRun> {
  const emu = await startEmulator({ port: 0, rateLimit: null });
  const dir = mkdtempSync(join(tmpdir(), 'telform-bench-drift-http-'));
  const opened = await openDatabase({ dataDir: dir });
  try {
    const migrated = await migrateToLatest(opened.db);
    if (migrated.error !== undefined) throw migrated.error;
    const driver = new HttpPlatformDriver({
      baseUrl: emu.url,
      apiKey: emu.partnerKey,
      timeoutMs: 60_000,
    });
    const seedStart = performance.now();
    const rows: AppliedResource[] = [];
    const externals: string[] = [];
    await forEachConcurrently(
      Array.from({ length: accounts }, (_, a) => a),
      concurrency,
      async (a) => {
        const id = `account_h${a}`;
        const spec = { name: `Account ${a}`, email: `admin${a}@bench.example` };
        const account = await driver.create({ kind: 'account', id }, spec);
        const pa = account.externalId;
        externals[a] = pa;
        rows.push({
          id,
          kind: 'account',
          accountId: null,
          rootAccountId: id,
          spec,
          externalId: pa,
          observed: account.attributes,
        });
        for (let u = 1; u < PER_ACCOUNT; u++) {
          const uid = `user_h${a}_${u}`;
          const user = {
            name: `User ${u}`,
            login: `user${u}`,
            email: `u${u}@bench.example`,
            privileges: { transfer: true },
          };
          const ref = { kind: 'user', id: uid, accountExternalId: pa };
          const made = await driver.create(ref, { ...user, account_id: pa });
          rows.push({
            id: uid,
            kind: 'user',
            accountId: id,
            rootAccountId: id,
            spec: { ...user, account_id: id },
            externalId: made.externalId,
            observed: made.attributes,
          });
          if (u === 1 + (a % (PER_ACCOUNT - 1)))
            await driver.update(
              { ...ref, externalId: made.externalId },
              { ...user, account_id: pa, name: `Edited ${u}` },
            );
        }
        if (a % 10 === 0) {
          const stranger = { name: 'Stranger', login: 'stranger', email: 's@bench.example' };
          await driver.create(
            { kind: 'user', id: `user_stranger${a}`, accountExternalId: pa },
            stranger,
          );
        }
      },
    );
    await seedResources(opened.db, rows);
    const seedMs = performance.now() - seedStart;

    const kinds = managedKinds();
    const listed = kinds.filter((k) => k.scope === 'account' && !k.dataSource).map((k) => k.kind);
    let calls = 0;
    // The scan's own calls, as many at once as the scan makes them, without the database.
    const listAll = () =>
      forEachConcurrently(
        rows.filter((r) => r.kind === 'account'),
        concurrency,
        async (a) => {
          await driver.observe({ kind: 'account', id: a.id, externalId: a.externalId! });
          const inventory = await listPlatformInventory(driver, a.externalId!, listed, 500, 4);
          calls += 1 + inventory.calls;
        },
      );
    // Warmed up first (a cold emulator and driver made the listing, the ratios' denominator, look
    // slow), then the median of three, so one noisy run on a shared machine does not set it.
    await listAll();
    calls = 0;
    const listOnly = { ms: await medianOf(3, async () => (await timed(listAll)).ms) };
    calls /= 3;
    const scanner = new DriftScanner({
      db: opened.db,
      driver,
      policies: new DriftPolicyCache(opened.db),
      kinds,
      secrets: new AesGcmSecretBox(randomBytes(32)),
    });
    const due = () =>
      opened.db
        .updateTable('drift_scans')
        .set({ next_scan_at: new Date(0) })
        .execute();
    const first = await timed(() => scanner.scanDue({ concurrency }));
    const steadyRuns: { ms: number; value: AccountScanResult[] }[] = [];
    const steadyMs = await medianOf(3, async () => {
      await due();
      const run = await timed(() => scanner.scanDue({ concurrency }));
      steadyRuns.push(run);
      return run.ms;
    });
    // One user edited on the platform in one account in ten: those accounts are compared again.
    const churned = Math.max(1, Math.floor(accounts / 10));
    for (let a = 0; a < churned; a++) {
      const ref = { kind: 'user', id: `user_h${a * 10}_50`, accountExternalId: externals[a * 10]! };
      const row = rows.find((r) => r.id === ref.id)!;
      await driver.update(
        { ...ref, externalId: row.externalId! },
        { ...row.spec, account_id: ref.accountExternalId, login: 'churned' },
      );
    }
    await due();
    const churn = await timed(() => scanner.scanDue({ concurrency }));
    const failed = [first, ...steadyRuns, churn].flatMap((t) =>
      t.value.filter((r) => r.outcome !== 'scanned'),
    );
    if (failed.length > 0) throw new Error(`drift bench (HTTP): ${failed.length} accounts failed`);
    return {
      accounts,
      seedMs,
      listMs: listOnly.ms,
      firstMs: first.ms,
      steadyMs,
      churnMs: churn.ms,
      churned,
      calls,
    };
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
    await emu.close();
  }
}

/** The median of `n` runs of `run` (n odd), one after another. */
async function medianOf(n: number, run: () => Promise<number>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push(await run());
  return ms.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}
