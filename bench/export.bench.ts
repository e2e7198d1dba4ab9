// `telform export --from-platform` of 10,000 platform objects in 100 accounts (an account, 50
// users and 49 seats each), in each format: wall time, platform calls and peak RSS, against the
// bare bulk listing of the same objects through the same driver, in the same run. The platform
// is the bundled emulator over loopback HTTP (seeded through its partner API, rate limit off),
// reached by the real HTTP driver; the store is embedded PGlite (the exporter looks up which
// objects telform manages).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startEmulator, type RunningEmulator } from '../emulator/src/index.js';
import { managedKinds } from '../schemas/src/index.js';
import { HttpPlatformDriver } from '../reconciler/src/driver/http-platform-driver.js';
import type { InventoryDriver, ListQuery } from '../reconciler/src/driver/platform-driver.js';
import { forEachConcurrently } from '../reconciler/src/drift/for-each-concurrently.js';
import { listPlatformInventory } from '../reconciler/src/drift/platform-inventory.js';
import { PlatformExporter, type ExportFormat } from '../reconciler/src/export/platform-exporter.js';
import { migrateToLatest } from '../reconciler/src/store/migrate.js';
import { openDatabase } from '../reconciler/src/store/open-database.js';
import type { Benchmark } from './benchmark.js';
import { median } from './stats.js';

const ACCOUNTS = Number(process.env.EXPORT_BENCH_ACCOUNTS ?? 100);
const USERS = 50; // with 49 seats and the account: 100 objects per account
const TARGET_MS = 10_000;
const TARGET_RATIO = 1.5;
const ROUNDS = 3;
const baselineLabel = 'baseline: bare bulk listing';

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// A full collection before each run, so no run pays for the garbage of the one before it.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Wall time, and this process's CPU time (user + system): the emulator runs in this process,
 * so CPU time covers both sides of every call, and other processes on the machine inflate it
 * far less than they do wall time.
 */
async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; cpuMs: number; value: T; rss: number }> {
  collect();
  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    value,
    rss: Math.max(rss, process.memoryUsage().rss),
  };
}

/** Counts the driver's calls, so the table shows what each run cost the platform. */
function counted(driver: InventoryDriver): InventoryDriver & { calls: number } {
  const out = {
    calls: 0,
    observe: (ref: Parameters<InventoryDriver['observe']>[0]) => {
      out.calls++;
      return driver.observe(ref);
    },
    read: (kind: string, account: string) => {
      out.calls++;
      return driver.read(kind, account);
    },
    list: (query: ListQuery) => {
      out.calls++;
      return driver.list(query);
    },
    listAccounts: (query: Parameters<InventoryDriver['listAccounts']>[0]) => {
      out.calls++;
      return driver.listAccounts(query);
    },
    activity: (query: Parameters<InventoryDriver['activity']>[0]) => {
      out.calls++;
      return driver.activity(query);
    },
  };
  return out;
}

/** Seeds through the partner API (in-process inject: no sockets needed to set the scene). */
async function seedPlatform(emu: RunningEmulator): Promise<string[]> {
  const call = async (method: 'POST' | 'PUT', url: string, payload: unknown) => {
    const res = await emu.app.inject({
      method,
      url,
      payload: payload as Record<string, unknown>,
      headers: { authorization: `Bearer ${emu.partnerKey}` },
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string };
  };
  const accounts: string[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const account = (
      await call('POST', '/v1/accounts', {
        name: `Customer ${a}`,
        email: `admin@c${a}.example`,
        country: 'FR',
      })
    ).id;
    accounts.push(account);
    for (let u = 1; u <= USERS; u++) {
      const user = await call('POST', `/v1/accounts/${account}/users`, {
        name: `Agent ${u}`,
        login: `agent-${u}`,
        email: `agent-${u}@c${a}.example`,
        privileges: { transfer: u % 2 === 0 },
      });
      if (u < USERS) await call('POST', `/v1/accounts/${account}/seats`, { user_id: user.id });
    }
  }
  return accounts;
}

const bench: Benchmark = {
  name: 'export',
  title: 'Export from the platform: 10,000 objects in 100 accounts',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'telform-bench-export-'));
    const emu = await startEmulator({ port: 0, rateLimit: null });
    const opened = await openDatabase({ dataDir: dir });
    try {
      const migrated = await migrateToLatest(opened.db);
      if (migrated.error !== undefined) throw migrated.error;
      const accounts = await seedPlatform(emu);
      const driver = counted(new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey }));
      const kinds = [
        'account',
        ...managedKinds()
          .filter((k) => k.scope === 'account')
          .map((k) => k.kind),
      ];
      const exporter = new PlatformExporter(opened.db, driver);
      const formats: ExportFormat[] = ['hcl', 'json', 'cdktf'];
      type Run = {
        ms: number;
        cpuMs: number;
        rss: number;
        calls: number;
        ratio: number;
        cpuRatio: number;
        output: string;
      };
      const runs = new Map<string, Run[]>();
      const record = (label: string, run: Run) =>
        runs.set(label, [...(runs.get(label) ?? []), run]);
      // Rounds, each a listing then every format (starting one further each round): a burst of
      // load elsewhere or the heap left by the previous run then weighs on every format alike.
      for (let round = 0; round < ROUNDS; round++) {
        const before = driver.calls;
        // The same calls with the exporter's concurrency (8 accounts, 4 kinds each at once).
        const listing = await timed(async () => {
          let objects = 0;
          await forEachConcurrently(accounts, 8, async (a) => {
            const inventory = await listPlatformInventory(driver, a, kinds, 500, 4);
            for (const items of inventory.byKind.values()) objects += items.length;
          });
          return objects;
        });
        record(baselineLabel, {
          ...listing,
          calls: driver.calls - before,
          ratio: 1,
          cpuRatio: 1,
          output: `${listing.value} objects`,
        });
        for (let f = 0; f < formats.length; f++) {
          const format = formats[(f + round) % formats.length]!;
          const start = driver.calls;
          const t = await timed(() => exporter.export({ accounts, format, scopeAccountId: null }));
          const calls = driver.calls - start;
          if (calls !== t.value.platformCalls)
            throw new Error('export bench: call counts disagree');
          record(`export --format ${format}`, {
            ms: t.ms,
            cpuMs: t.cpuMs,
            rss: t.rss,
            calls,
            ratio: t.ms / listing.ms,
            cpuRatio: t.cpuMs / listing.cpuMs,
            output: `${t.value.resources} resources, ${(t.value.content.length / 2 ** 20).toFixed(1)} MiB of configuration`,
          });
        }
      }
      const rows: string[] = [];
      const verdicts: string[] = [];
      for (const [label, all] of runs) {
        const ms = median(all.map((r) => r.ms));
        const ratio = median(all.map((r) => r.ratio));
        const cpuRatio = median(all.map((r) => r.cpuRatio));
        rows.push(
          `| ${label} | ${s(ms)} | ${all.map((r) => s(r.ms)).join(', ')} | ${ratio.toFixed(2)}× | ${s(median(all.map((r) => r.cpuMs)))} | ${cpuRatio.toFixed(2)}× | ${all[0]!.calls.toLocaleString('en')} | ${mb(median(all.map((r) => r.rss)))} | ${all[0]!.output} |`,
        );
        if (label === baselineLabel) continue;
        verdicts.push(
          `${label.replace('export --format ', '')}: ${s(ms)} (${ms <= TARGET_MS ? 'within' : 'over'} the ${TARGET_MS / 1000} s bound), ${ratio.toFixed(2)}× the bare listing (${ratio <= TARGET_RATIO ? 'within' : 'over'} ${TARGET_RATIO}×); CPU time ${cpuRatio.toFixed(2)}× the listing's.`,
        );
      }
      return [
        `${(ACCOUNTS * (1 + USERS + USERS - 1)).toLocaleString('en')} platform objects (${ACCOUNTS} accounts, each with ${USERS} users and ${USERS - 1} seats), none managed by telform yet, on the bundled emulator over loopback HTTP (rate limit off) through the HTTP driver; every managed kind is listed for every account (pages of 500, 8 accounts and 4 kinds at once), exactly as the exporter lists them; the store is embedded PGlite.`,
        '',
        `| run | time (median of ${ROUNDS}) | each round | vs listing | CPU time (median) | CPU vs listing | platform calls | peak RSS (median) | output |`,
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
        '',
        ...verdicts,
        '',
        `Each round lists once, then exports in every format (the first format moving one further each round); a run's ratio is its time over the listing of its own round, and the table shows the median of the rounds' ratios. Every run starts after a full garbage collection. CPU time is this process's (user + system), the emulator's serving included: other load on the machine inflates it far less than wall time. The listing baseline is the same calls with nothing done to the answers; an export adds the schema check of every object (the same check adoption makes), naming, reference linking, the managed-object lookup (two indexed queries per 1,000 objects) and rendering. Peak RSS is the whole process (PGlite included).`,
      ].join('\n');
    } finally {
      await opened.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
