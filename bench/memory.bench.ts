// Daemon memory, measured from outside on a child process (bench/memory-daemon.ts) that runs the
// real daemon: RSS at 100,000 resources on embedded PGlite and on a PostgreSQL server, after a
// full drift scan, and the first start of a new embedded data directory. The child holds the
// memory platform the scan lists too, so its RSS is read once before the daemon starts (the
// baseline) and the daemon's share is the difference. VmHWM is the child's peak; the process
// tree's peak also counts what the daemon starts (the one-time initdb child of a new directory).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest } from '../reconciler/src/store/migrate.js';
import { openDatabase } from '../reconciler/src/store/open-database.js';
import { PGDATA_TEMPLATE, writePgdataTemplate } from '../reconciler/src/store/pgdata-template.js';
import { MemoryPlatformDriver } from '../reconciler/test/drift/memory-platform-driver.js';
import { seedResources } from '../reconciler/test/drift/seed-resources.js';
import { startPostgresServer } from '../reconciler/test/support/postgres-server.js';
import type { Benchmark } from './benchmark.js';
import { PER_ACCOUNT, seedWorld } from './drift-world.js';

const ACCOUNTS = Number(process.env.MEMORY_BENCH_ACCOUNTS ?? 1_000);
const TARGET_FIRST_START_MIB = 500;
const here = dirname(fileURLToPath(import.meta.url));
const mib = (kib: number) => kib / 1024;
const m = (kib: number) => `${mib(kib).toFixed(0)} MiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** VmRSS and VmHWM of a process, in KiB (0 once it is gone). */
function status(pid: number): { rss: number; hwm: number } {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** RSS of a process and all its descendants, in KiB. */
function treeRss(pid: number): number {
  let total = status(pid).rss;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) total += treeRss(Number(child));
    }
  } catch {
    // the process ended while being read
  }
  return total;
}

/** The peak RSS of this process's children (its own excluded) while `work` runs. */
async function peakWhile(work: () => Promise<void>): Promise<{ peak: number; ms: number }> {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, treeRss(process.pid) - status(process.pid).rss));
  const sampler = setInterval(sample, 50);
  const t0 = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return { peak, ms: performance.now() - t0 };
}

interface Phases {
  readonly at: Map<string, { rss: number; hwm: number }>;
  readonly treePeak: number;
  readonly ms: Map<string, number>;
}

/** Runs the daemon child over `target`, reading its memory at each phase it reports. */
async function runChild(
  store: string,
  target: string,
  accounts: number,
  template = '',
): Promise<Phases> {
  const child = fork(join(here, 'memory-daemon.ts'), [store, target, String(accounts), template], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const at = new Map<string, { rss: number; hwm: number }>();
  const ms = new Map<string, number>();
  let treePeak = 0;
  let failed: string | undefined;
  const sampler = setInterval(() => (treePeak = Math.max(treePeak, treeRss(child.pid!))), 50);
  const t0 = performance.now();
  child.on('message', (msg: { phase: string; outcome?: string }) => {
    if (msg.outcome !== undefined && msg.outcome !== 'success') failed = msg.outcome;
    at.set(msg.phase, status(child.pid!));
    ms.set(msg.phase, performance.now() - t0);
    treePeak = Math.max(treePeak, treeRss(child.pid!));
    child.send('go');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`memory bench: the ${store} daemon child exited ${code}`);
  if (failed) throw new Error(`memory bench: the ${store} drift scan job ended ${failed}`);
  return { at, treePeak, ms };
}

async function seedStore(opened: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  const migrated = await migrateToLatest(opened.db);
  if (migrated.error !== undefined) throw migrated.error;
  await seedResources(opened.db, seedWorld(new MemoryPlatformDriver(), ACCOUNTS));
}

function line(store: string, p: Phases): string {
  const base = p.at.get('platform')!.rss;
  const started = p.at.get('started')!;
  const scanned = p.at.get('scanned')!;
  return `| ${store} | ${m(base)} | ${m(started.rss - base)} | ${m(scanned.rss - base)} | ${m(scanned.rss)} | ${m(scanned.hwm)} | ${((p.ms.get('scanned')! - p.ms.get('started')!) / 1000).toFixed(1)} s |`;
}

const bench: Benchmark = {
  name: 'memory',
  title: 'Memory: daemon RSS at 100,000 resources, and the first start of an embedded store',
  async run() {
    const root = mkdtempSync(join(tmpdir(), 'telform-bench-memory-'));
    const lines: string[] = [];
    try {
      // A new embedded directory first: the daemon's own first start, as a build runs it (a
      // copy of the template `npm run build` writes) and as a never-built checkout does (initdb
      // in a child process). The template is made here as the build makes it, and measured so.
      const template = join(root, PGDATA_TEMPLATE);
      const making = await peakWhile(() => writePgdataTemplate(template));
      const fresh = await runChild('pglite', join(root, 'fresh'), 0, template);
      const first = fresh.at.get('started')!;
      const initdb = await runChild('pglite', join(root, 'fresh-initdb'), 0, 'none');

      const pgliteDir = join(root, 'seeded');
      const opened = await openDatabase({ dataDir: pgliteDir, pgdataTemplate: template });
      try {
        await seedStore(opened);
      } finally {
        await opened.close();
      }
      lines.push(line('PGlite', await runChild('pglite', pgliteDir, ACCOUNTS)));

      const server = await startPostgresServer();
      try {
        const pg = await openDatabase({ databaseUrl: server.url });
        try {
          await seedStore(pg);
        } finally {
          await pg.close();
        }
        lines.push(line('PostgreSQL', await runChild('postgres', server.url, ACCOUNTS)));
      } finally {
        server.stop();
      }

      const verdict = mib(fresh.treePeak) < TARGET_FIRST_START_MIB ? 'within' : 'over';
      return [
        `${(ACCOUNTS * PER_ACCOUNT).toLocaleString('en')} desired resources in ${ACCOUNTS} accounts, written into the store before the daemon starts; the daemon is a child process (run through tsx, not the bundle) over an in-process memory platform holding the same objects; a full drift scan (the drift-scan job, run once) before the steady reading. Figures are read from /proc by the parent.`,
        '',
        '| store | child before the daemon (memory platform) | daemon started | daemon after a full scan | child RSS after the scan | child peak (VmHWM) | scan |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...lines,
        '',
        `First start of a new embedded data directory (no resources), the whole process tree counted: ${m(fresh.treePeak)} peak (${verdict} the ${TARGET_FIRST_START_MIB} MB bound), daemon RSS once started ${m(first.rss)}, ${s(fresh.ms.get('started')!)} to started. The directory is a copy of the template \`npm run build\` writes into dist/ (store/pgdata-template.ts), so no initdb runs. Making the template (initdb in a child process, once per build of a new PGlite version) peaked at ${m(making.peak)} in ${s(making.ms)}. Without a template (a source checkout never built) the daemon runs that initdb child itself: tree peak ${m(initdb.treePeak)}, daemon RSS once started ${m(initdb.at.get('started')!.rss)}, ${s(initdb.ms.get('started')!)} to started.`,
        '',
        '"daemon" columns are the child\'s RSS less its RSS before the daemon started (node, the loaded modules and the memory platform).',
      ].join('\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

export default bench;
