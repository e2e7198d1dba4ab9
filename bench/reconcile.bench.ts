// Reconcile throughput against the emulator's own per-account rate limit, and API latency under
// load. Baselines in the same run: the rate limit itself (achieved / limit) and `/healthz` under
// the same load (route latency / health latency).
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/src/index.js';
import { discardAuditSink } from '../reconciler/src/audit/audit-sink.js';
import { startDaemon } from '../reconciler/src/daemon.js';
import { HttpPlatformDriver } from '../reconciler/src/driver/http-platform-driver.js';
import {
  AccountBudget,
  type AccountBudgetOptions,
} from '../reconciler/src/driver/account-budget.js';
import { GuardedDriver } from '../reconciler/src/driver/guarded-driver.js';
import { ReconcileEngine } from '../reconciler/src/reconcile/reconcile-engine.js';
import { AesGcmSecretBox } from '../reconciler/src/secrets/aes-gcm-secret-box.js';
import { migrateToLatest } from '../reconciler/src/store/migrate.js';
import { openDatabase } from '../reconciler/src/store/open-database.js';
import { ResourceStore } from '../reconciler/src/resources/resource-store.js';
import type { Benchmark } from './benchmark.js';

const RATE = 20; // emulator requests/s per account
const USERS = 300; // users of one account: one create each (nothing to observe on a first apply)
const scope = { scopeAccountId: null };

interface ThroughputRow {
  readonly budget: string;
  readonly seconds: number;
  readonly callsPerSecond: number;
  readonly throttled: number;
}

async function throughput(budget: AccountBudgetOptions, label: string): Promise<ThroughputRow> {
  const dir = mkdtempSync(join(tmpdir(), 'telform-bench-'));
  const emulator = await startEmulator({
    port: 0,
    rateLimit: { requests_per_second: RATE, burst: RATE },
  });
  const opened = await openDatabase({ dataDir: dir });
  try {
    await migrateToLatest(opened.db);
    const box = new AesGcmSecretBox(randomBytes(32));
    const store = new ResourceStore(opened.db, box);
    const account = await store.create(
      'account',
      { name: 'Bench', email: 'b@bench.example' },
      scope,
    );
    for (let u = 0; u < USERS; u++) {
      await store.create(
        'user',
        { account_id: account.id, name: `U ${u}`, login: `user${u}`, email: `u${u}@bench.example` },
        scope,
      );
    }
    const calls = new Map<string, number>();
    const metrics = {
      reconciled: () => {},
      platformCall: (_op: string, status: string) =>
        calls.set(status, (calls.get(status) ?? 0) + 1),
    };
    const engine = new ReconcileEngine({
      db: opened.db,
      driver: new GuardedDriver(
        new HttpPlatformDriver({ baseUrl: emulator.url, apiKey: emulator.partnerKey }),
        new AccountBudget(budget),
        metrics,
      ),
      secrets: box,
      audit: discardAuditSink,
      replica: 'bench',
      concurrency: 16,
      pollMs: 50,
      delays: { dependencyMs: 200 },
      metrics,
    });
    const t0 = performance.now();
    engine.pool.start();
    const deadline = Date.now() + 120_000;
    for (;;) {
      const row = await opened.db
        .selectFrom('resources')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('applied_generation', '=', 0)
        .executeTakeFirstOrThrow();
      if (Number(row.n) === 0) break;
      if (Date.now() > deadline)
        throw new Error(`reconcile bench: ${row.n} resources unapplied after 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    await engine.pool.stop();
    const total = [...calls.values()].reduce((a, b) => a + b, 0);
    return {
      budget: label,
      seconds,
      callsPerSecond: total / seconds,
      throttled: calls.get('429') ?? 0,
    };
  } finally {
    await opened.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** `total` requests from `width` concurrent clients; latency of each, sorted (ms). */
async function load(
  width: number,
  total: number,
  request: (i: number) => Promise<Response>,
): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const res = await request(i);
        await res.arrayBuffer();
        if (res.status >= 400) throw new Error(`load: HTTP ${res.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

async function apiLatency(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'telform-bench-api-'));
  const daemon = await startDaemon({
    dataDir: dir,
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { host: '127.0.0.1', port: 0, dataDir: false },
    hardening: { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } },
    logger: false,
    jobs: false,
  });
  try {
    const headers = {
      authorization: `Bearer ${daemon.adminToken!}`,
      'content-type': 'application/json',
    };
    const post = (path: string, body: unknown) =>
      fetch(daemon.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
    const account = (await (
      await post('/v1/resources/account', { name: 'Load', email: 'l@load.example' })
    ).json()) as { id: string };
    const width = 16;
    const rows: Array<[string, number[]]> = [];
    rows.push([
      'GET /healthz (baseline)',
      await load(width, 2_000, () => fetch(`${daemon.url}/healthz`)),
    ]);
    rows.push([
      'POST /v1/resources/user',
      await load(width, 400, (i) =>
        post('/v1/resources/user', {
          account_id: account.id,
          name: `L ${i}`,
          login: `load${i}`,
          email: `l${i}@load.example`,
        }),
      ),
    ]);
    rows.push([
      'GET /v1/resources/account/{id}',
      await load(width, 2_000, () =>
        fetch(`${daemon.url}/v1/resources/account/${account.id}`, { headers }),
      ),
    ]);
    rows.push([
      'GET /v1/resources?account_id= (100 per page)',
      await load(width, 500, () =>
        fetch(`${daemon.url}/v1/resources?account_id=${account.id}&limit=100`, { headers }),
      ),
    ]);
    const base = pct(rows[0]![1], 50);
    const table = rows.map(
      ([name, t]) =>
        `| ${name} | ${t.length} | ${pct(t, 50).toFixed(1)} | ${pct(t, 99).toFixed(1)} | ${(pct(t, 50) / base).toFixed(1)} |`,
    );
    return [
      `API latency with ${width} concurrent clients, embedded PGlite, reconcile workers running (the POSTs make work for them):`,
      '',
      '| request | count | p50 ms | p99 ms | p50 / healthz p50 |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...table,
    ].join('\n');
  } finally {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'reconcile',
  title: 'Reconcile throughput and API latency',
  async run() {
    const under = await throughput(
      { maxConcurrent: 8, ratePerSecond: RATE * 0.9 },
      `${RATE * 0.9}/s (0.9x the limit)`,
    );
    const matched = await throughput(
      { maxConcurrent: 8, ratePerSecond: RATE },
      `${RATE}/s (= platform limit)`,
    );
    const over = await throughput(
      { maxConcurrent: 8, ratePerSecond: RATE * 2 },
      `${RATE * 2}/s (2x the limit)`,
    );
    const rows = [under, matched, over].map(
      (r) =>
        `| ${r.budget} | ${r.seconds.toFixed(1)} | ${r.callsPerSecond.toFixed(1)} | ${(r.callsPerSecond / RATE).toFixed(2)} | ${r.throttled} |`,
    );
    return [
      `${USERS + 1} resources of one account (an account and ${USERS} users, one create call each) reconciled against the emulator with a per-account limit of ${RATE} requests/s (burst ${RATE}). Achieved counts the calls the platform accepted (429s excluded).`,
      '',
      '| daemon budget | seconds | accepted calls/s | achieved / limit | 429s received |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      "A ratio near 1 means the daemon uses the account's whole allowance. Each 429 pauses the whole account for the platform's Retry-After (1 s), so a budget at or above the limit loses time to pauses; a budget just under it avoids them.",
      '',
      await apiLatency(),
    ].join('\n');
  },
};

export default bench;
