// Health under a flood (issue 13): 20,000 requests with random well-formed tokens over 32
// keep-alive connections while 1,000 connections hold half-sent headers, against the daemon's
// default limits. The flood and the health probe each run in a child process (burst-client.ts),
// so neither shares the daemon's thread: the latencies are the daemon's. Baseline: the same
// probe with no load, in the same run (ratio). Target: health within 100 ms throughout.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDaemon } from '../reconciler/src/daemon.js';
import { MemoryPlatformDriver } from '../reconciler/test/drift/memory-platform-driver.js';
import type { Benchmark } from './benchmark.js';
import type { LoadReport, ProbeReport } from './burst-client.js';

const REQUESTS = Number(process.env.BURST_BENCH_REQUESTS ?? 20_000);
const WIDTH = 32;
const HALF_OPEN = Number(process.env.BURST_BENCH_HALF_OPEN ?? 1_000);
const PROBE_INTERVAL_MS = 20;
const IDLE_MS = 5_000;
const TARGET_MS = 100;
const client = fileURLToPath(new URL('./burst-client.ts', import.meta.url));

/** Forks the client in `mode`; `report` resolves with its one report. */
function child<T>(mode: string, args: readonly number[]) {
  // fork keeps this process's execArgv: tsx's loader runs the TypeScript client too.
  const proc = fork(client, [mode, ...args.map(String)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  const report = new Promise<T>((resolve, reject) => {
    proc.on('message', (m) => (m === 'ready' ? ready() : resolve(m as T)));
    proc.on('exit', (code) =>
      reject(new Error(`burst client ${mode} exited ${code} without a report`)),
    );
  });
  return { proc, started, report };
}

function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function probeWhile(port: number, during: () => Promise<unknown>): Promise<ProbeReport> {
  const probe = child<ProbeReport>('probe', [port, PROBE_INTERVAL_MS]);
  await probe.started;
  await during();
  probe.proc.send('stop');
  return probe.report;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

const bench: Benchmark = {
  name: 'burst',
  title: 'Health under a burst of random tokens and half-open connections',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'telform-burst-bench-'));
    const daemon = await startDaemon({
      dataDir: join(dir, 'data'),
      driver: new MemoryPlatformDriver(),
      listen: { host: '127.0.0.1', port: 0 },
      logger: false,
      jobs: false,
    });
    try {
      const port = Number(new URL(daemon.url).port);
      const idle = await probeWhile(port, () => new Promise((r) => setTimeout(r, IDLE_MS)));
      let load: LoadReport | undefined;
      // The machine is shared: the load average says how much of a stall was others' work.
      const loadAverage = loadavg()[0]!;
      const loaded = await probeWhile(port, async () => {
        // Half-open connections are closed by the header timeout (10 s): wait up to 15 s for them.
        load = await child<LoadReport>('load', [port, REQUESTS, WIDTH, HALF_OPEN, 15_000]).report;
      });
      return report(idle, loaded, load!, loadAverage);
    } finally {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function report(
  idle: ProbeReport,
  loaded: ProbeReport,
  load: LoadReport,
  loadAverage: number,
): string {
  const row = (label: string, p: ProbeReport) =>
    `| ${label} | ${p.latencies.length} | ${p.failed} | ${ms(quantile(p.latencies, 0.5))} | ${ms(quantile(p.latencies, 0.95))} | ${ms(Math.max(...p.latencies))} |`;
  const answered = Object.entries(load.statuses).filter(([s]) => /^\d{3}$/.test(s));
  const lost = Object.entries(load.statuses).filter(([s]) => !/^\d{3}$/.test(s));
  const sum = (xs: [string, number][]) => xs.reduce((a, [, n]) => a + n, 0);
  const p95 = quantile(loaded.latencies, 0.95);
  const max = Math.max(...loaded.latencies);
  const verdict = (v: number) =>
    v <= TARGET_MS ? `within ${TARGET_MS} ms` : `over ${TARGET_MS} ms`;
  return [
    `${REQUESTS} requests with random tokens over ${WIDTH} keep-alive connections and ${HALF_OPEN} half-open connections, from one child process; \`/healthz\` probed every ${PROBE_INTERVAL_MS} ms on its own keep-alive connection from another; the daemon (embedded PGlite, default limits) alone in the bench process.`,
    '',
    '| health | answered | failed | p50 | p95 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row(`no load (${IDLE_MS / 1000} s)`, idle),
    row(`under the burst (${(load.floodMs / 1000).toFixed(1)} s)`, loaded),
    '',
    `Health under the burst: p95 ${ms(p95)} (${verdict(p95)}; ${(p95 / quantile(idle.latencies, 0.95)).toFixed(1)}x no load), max ${ms(max)} (${verdict(max)}).`,
    `Burst: ${sum(answered)} of ${REQUESTS} answered (${answered.map(([s, n]) => `${n} × ${s}`).join(', ')}), ${sum(lost)} lost${lost.length > 0 ? ` (${lost.map(([s, n]) => `${n} × ${s}`).join(', ')})` : ''}; ${(REQUESTS / (load.floodMs / 1000)).toFixed(0)} requests/s; ${load.halfOpenClosed} of ${HALF_OPEN} half-open connections closed by the server.`,
    `1-minute load average when the burst began: ${loadAverage.toFixed(2)} (the 2 cores are shared with other work; a stall of the daemon's thread while it waited for a core is counted in the figures above).`,
  ].join('\n');
}

export default bench;
