// The daemon's API against its floor, on a throwaway Postgres server and on embedded PGlite.
// The daemon is `telform serve --with-emulator` in a process of its own (reconcile workers and
// jobs running); the floor is bare fastify with one primary-key SELECT (api-floor-server.ts) on
// the same database; autocannon drives both from this process. Ratios are within one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startPostgresServer } from '../reconciler/test/support/postgres-server.js';
import type { Benchmark } from './benchmark.js';
import {
  startDaemonProcess,
  startFloorProcess,
  type Child,
  type DaemonChild,
} from './api-processes.js';

// This bench's own range; API_BENCH_PORT moves it so two checkouts can bench side by side.
const PORT_BASE = Number(process.env.API_BENCH_PORT ?? 41510);
const PORTS = { daemon: PORT_BASE, emulator: PORT_BASE + 1, floor: PORT_BASE + 2 };
const USERS = Number(process.env.API_BENCH_USERS ?? 200); // GET targets, one account
const CLIENTS = 16;
const GET_S = Number(process.env.API_BENCH_SECONDS ?? 10);
const RATE = 1_000; // open-loop requests/s, 90% GET one / 10% POST a user
const MIXED_S = Number(process.env.API_BENCH_MIXED_SECONDS ?? 15);
const MIXED_CONNECTIONS = 100; // enough that pacing, not connections, sets the rate
const TARGET_GET = 1.5; // daemon req/s at least floor / 1.5
const TARGET_P99 = 2; // daemon p99 at most 2x the floor's

interface Figures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly served: number;
  readonly failed: number;
  /** The server process's CPU (user + system) per answered request, microseconds. */
  readonly cpuUs: number;
}

/** A target's two routes: read one (by id) and create one (a user of `account`). */
interface Target {
  readonly server: Child;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly read: (id: string) => string;
  readonly create: string;
  readonly body: (n: number) => string;
}

function figures(r: autocannon.Result, cpuSeconds: number): Figures {
  return {
    cpuUs: (cpuSeconds * 1e6) / Math.max(1, r.requests.total),
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    served: r['2xx'],
    failed: r.non2xx + r.errors, // errors include timeouts
  };
}

/** Closed loop: `CLIENTS` connections, each sending its next GET when the last one answered. */
async function getOne(target: Target, ids: readonly string[], seconds: number): Promise<Figures> {
  let n = 0;
  const cpu = target.server.cpuSeconds();
  const result = await autocannon({
    url: target.url,
    connections: CLIENTS,
    duration: seconds,
    headers: target.headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: target.read(ids[n++ % ids.length]!) }) }],
  });
  return figures(result, target.server.cpuSeconds() - cpu);
}

/**
 * Open loop at `RATE` requests/s overall (autocannon paces each connection and corrects latency
 * for coordinated omission): 9 GETs in 10, the tenth a create.
 */
async function mixed(target: Target, ids: readonly string[], seconds: number): Promise<Figures> {
  let n = 0;
  let created = 0;
  const cpu = target.server.cpuSeconds();
  const result = await autocannon({
    url: target.url,
    connections: MIXED_CONNECTIONS,
    overallRate: RATE,
    duration: seconds,
    headers: target.headers,
    requests: [
      {
        // Fresh headers each time: autocannon writes a body's Content-Length into the object it
        // is given, and a GET carrying one would wait for a body that never comes.
        setupRequest: (req) =>
          n++ % 10 === 9
            ? {
                ...req,
                headers: { ...target.headers },
                method: 'POST',
                path: target.create,
                body: target.body(created++),
              }
            : {
                ...req,
                headers: { ...target.headers },
                method: 'GET',
                path: target.read(ids[n % ids.length]!),
                body: undefined,
              },
      },
    ],
  });
  return figures(result, target.server.cpuSeconds() - cpu);
}

async function api(daemon: DaemonChild, path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(daemon.url + path, {
    ...init,
    headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' },
  });
  const body = (await res.json()) as unknown;
  if (res.status >= 300) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** An account and its users, created through the API and applied to the emulator. */
async function seed(daemon: DaemonChild): Promise<{ account: string; users: string[] }> {
  const post = (kind: string, body: unknown) =>
    api(daemon, `/v1/resources/${kind}`, {
      method: 'POST',
      body: JSON.stringify(body),
    }) as Promise<{
      id: string;
    }>;
  const account = (await post('account', { name: 'Load', email: 'l@load.example' })).id;
  const users: string[] = [];
  for (let u = 0; u < USERS; u++) {
    const user = {
      account_id: account,
      name: `S ${u}`,
      login: `seed${u}`,
      email: `s${u}@load.example`,
    };
    users.push((await post('user', user)).id);
  }
  // Reads of applied rows (with an observed document) are what a plan's refresh does.
  const deadline = Date.now() + 300_000;
  for (;;) {
    const page = (await api(daemon, `/v1/resources?account_id=${account}&limit=500`)) as {
      items: Array<{ generation: number; status: { applied_generation: number } }>;
    };
    const pending = page.items.filter((i) => i.status.applied_generation !== i.generation);
    if (pending.length === 0) break;
    if (Date.now() > deadline) throw new Error(`api bench: ${pending.length} seeds unapplied`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { account, users };
}

/** The daemon's event-loop delay p99 since the last scrape (prom-client resets it per scrape). */
async function loopLagP99(daemon: DaemonChild): Promise<number> {
  const res = await fetch(`${daemon.url}/metrics`);
  const m = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(await res.text());
  return m ? Number(m[1]) * 1000 : NaN;
}

interface StoreRun {
  readonly store: string;
  readonly daemonGet: Figures;
  readonly floorGet: Figures;
  readonly daemonMixed: Figures;
  readonly floorMixed: Figures;
  readonly lagGet: number;
  readonly lagMixed: number;
}

async function runStore(store: 'PostgreSQL' | 'PGlite'): Promise<StoreRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'telform-bench-api-'));
  const server = store === 'PostgreSQL' ? await startPostgresServer() : undefined;
  try {
    const where = server ? { databaseUrl: server.url } : { dataDir };
    const daemon = await startDaemonProcess({
      port: PORTS.daemon,
      emulatorPort: PORTS.emulator,
      dataDir,
      ...where,
    });
    let seeded: { account: string; users: string[] };
    let daemonGet: Figures;
    let daemonMixed: Figures;
    let lagGet: number;
    let lagMixed: number;
    try {
      seeded = await seed(daemon);
      const target: Target = {
        server: daemon,
        url: daemon.url,
        headers: { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json' },
        read: (id) => `/v1/resources/user/${id}`,
        create: '/v1/resources/user',
        body: (n) =>
          JSON.stringify({
            account_id: seeded.account,
            name: `L ${n}`,
            login: `load${n}`,
            email: `l${n}@load.example`,
          }),
      };
      await getOne(target, seeded.users, 2); // warm: connections, JIT, caches
      await loopLagP99(daemon);
      daemonGet = await getOne(target, seeded.users, GET_S);
      lagGet = await loopLagP99(daemon);
      daemonMixed = await mixed(target, seeded.users, MIXED_S);
      lagMixed = await loopLagP99(daemon);
    } finally {
      await daemon.stop();
    }
    // The floor alone on the same database, after the daemon stopped (PGlite allows one opener).
    const floor = await startFloorProcess(
      PORTS.floor,
      server ? { databaseUrl: server.url } : { dataDir },
    );
    try {
      const target: Target = {
        server: floor,
        url: floor.url,
        headers: { 'content-type': 'application/json' },
        read: (id) => `/r/${id}`,
        create: '/r',
        body: (n) =>
          JSON.stringify({ account_id: seeded.account, name: `F ${n}`, login: `floor${n}` }),
      };
      await getOne(target, seeded.users, 2);
      const floorGet = await getOne(target, seeded.users, GET_S);
      const floorMixed = await mixed(target, seeded.users, MIXED_S);
      return { store, daemonGet, floorGet, daemonMixed, floorMixed, lagGet, lagMixed };
    } finally {
      await floor.stop();
    }
  } finally {
    server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (v: number) => v.toFixed(1);
const verdict = (ok: boolean) => (ok ? 'within' : 'over');

function tables(runs: readonly StoreRun[]): string[] {
  const getRows = runs.flatMap((r) => [
    `| ${r.store} | floor (bare fastify + 1 SELECT) | ${r.floorGet.rps.toFixed(0)} | ${ms(r.floorGet.p50)} | ${ms(r.floorGet.p99)} | 1.00 | ${r.floorGet.cpuUs.toFixed(0)} | 1.00 | ${r.floorGet.failed} |`,
    `| ${r.store} | daemon GET /v1/resources/user/{id} | ${r.daemonGet.rps.toFixed(0)} | ${ms(r.daemonGet.p50)} | ${ms(r.daemonGet.p99)} | ${(r.floorGet.rps / r.daemonGet.rps).toFixed(2)} | ${r.daemonGet.cpuUs.toFixed(0)} | ${(r.daemonGet.cpuUs / r.floorGet.cpuUs).toFixed(2)} | ${r.daemonGet.failed} |`,
  ]);
  const asked = RATE * MIXED_S;
  const mixedRows = runs.flatMap((r) => [
    `| ${r.store} | floor | ${r.floorMixed.served} / ${asked} | ${ms(r.floorMixed.p50)} | ${ms(r.floorMixed.p99)} | 1.00 | ${r.floorMixed.failed} |`,
    `| ${r.store} | daemon | ${r.daemonMixed.served} / ${asked} | ${ms(r.daemonMixed.p50)} | ${ms(r.daemonMixed.p99)} | ${(r.daemonMixed.p99 / r.floorMixed.p99).toFixed(2)} | ${r.daemonMixed.failed} |`,
  ]);
  const verdicts = runs.map((r) => {
    const getRatio = r.floorGet.rps / r.daemonGet.rps;
    const p99Ratio = r.daemonMixed.p99 / r.floorMixed.p99;
    const all = r.daemonMixed.served >= asked * 0.99 && r.daemonMixed.failed === 0;
    return `${r.store}: GET one at ${getRatio.toFixed(2)}× below the floor's req/s (${verdict(getRatio <= TARGET_GET)} ${TARGET_GET}×); the ${RATE} req/s mix ${all ? 'served in full' : 'not served in full'}, p99 ${p99Ratio.toFixed(2)}× the floor's (${verdict(p99Ratio <= TARGET_P99)} ${TARGET_P99}×). Daemon event-loop delay p99: ${ms(r.lagGet)} ms during the GETs, ${ms(r.lagMixed)} ms during the mix.`;
  });
  return [
    `GET one resource (a user, applied, so its platform view is computed), ${CLIENTS} clients in closed loop for ${GET_S} s each, ids in turn over ${USERS} users of one account. Server CPU is the server process's user + system time during the run over the requests it answered (the daemon's includes its workers, jobs and batched read audit): the machine is shared, so it is steadier than req/s.`,
    '',
    '| store | server | req/s | p50 ms | p99 ms | floor req/s ÷ this | server CPU µs/req | ÷ floor CPU | failed |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...getRows,
    '',
    `Open loop at ${RATE} req/s for ${MIXED_S} s (${MIXED_CONNECTIONS} connections paced by autocannon, latency corrected for coordinated omission): 90% GET one, 10% POST a user (the floor: one INSERT):`,
    '',
    '| store | server | served (2xx) / asked | p50 ms | p99 ms | p99 ÷ floor p99 | failed |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...mixedRows,
    '',
    ...verdicts,
  ];
}

const bench: Benchmark = {
  name: 'api',
  title: 'API latency and throughput against its floor',
  async run() {
    const runs: StoreRun[] = [];
    // API_BENCH_STORES=pglite (or postgres) while iterating on one store.
    const stores = (process.env.API_BENCH_STORES ?? 'postgres,pglite').split(',');
    if (stores.includes('postgres')) runs.push(await runStore('PostgreSQL'));
    if (stores.includes('pglite')) runs.push(await runStore('PGlite'));
    return [
      `The daemon is \`telform serve --with-emulator\` in its own process, as the product runs it (reconcile workers and scheduled jobs running; the writes of the mix make reconcile work), with an admin token and the per-token rate limit lifted. The floor is bare fastify with one primary-key SELECT (and one INSERT for writes) on the same database, run after the daemon stopped. autocannon drives both from the benchmark's process; a throwaway PostgreSQL server (fsync off) shares the machine.`,
      '',
      ...tables(runs),
    ].join('\n');
  },
};

export default bench;
