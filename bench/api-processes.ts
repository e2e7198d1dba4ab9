// The processes the API benchmark measures: `telform serve` as the product runs it, and the
// floor server (api-floor-server.ts). Each runs apart from the load generator (autocannon in
// the benchmark's own process), so neither shares an event loop or a core's time slice with it.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  readonly url: string;
  /** CPU seconds (user + system) the process has used so far; NaN where /proc is missing. */
  cpuSeconds(): number;
  /** SIGTERM (a clean stop: buffers flushed, workers finished), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Spawns `argv` and resolves once its output matches `ready` (its first group is the URL) and
 * holds every string of `also`.
 */
async function spawnReady(
  argv: string[],
  env: Record<string, string>,
  ready: RegExp,
  also: readonly string[] = [],
): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 120 s:\n${out}`)), 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m && also.every((s) => out.includes(s))) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(' ')} exited with ${code} before starting:\n${out}`));
    });
  });
  return {
    url,
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/**
 * utime + stime of a process from /proc/<pid>/stat: the machine is shared, so a server's own CPU
 * per request is steadier than its requests per second.
 */
let ticks: number | undefined;
/** The kernel's clock ticks per second, the unit of /proc's CPU times (almost always 100). */
function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start past its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return NaN;
  }
}

export interface DaemonChild extends Child {
  readonly token: string;
}

/**
 * `telform serve --with-emulator` (reconcile workers and scheduled jobs running), on Postgres
 * when `databaseUrl` is given, else embedded PGlite in `dataDir`. The per-token rate limit is
 * lifted: the benchmark measures the API's speed, not its limiter's refusals.
 */
export async function startDaemonProcess(options: {
  readonly port: number;
  readonly emulatorPort: number;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** Node flags before the script (`--cpu-prof` while looking into a figure). */
  readonly nodeArgs?: readonly string[];
}): Promise<DaemonChild> {
  const child = await spawnReady(
    [
      ...(options.nodeArgs ?? []),
      join(root, 'reconciler/bin/telform.js'),
      'serve',
      '--with-emulator',
      '--listen',
      `127.0.0.1:${options.port}`,
      '--emulator-listen',
      `127.0.0.1:${options.emulatorPort}`,
      '--data-dir',
      options.dataDir,
      '--rate-limit',
      '100000000/1m',
    ],
    {
      TELFORM_LOG_LEVEL: 'warn',
      // A shared database takes its key from the environment (embedded: a key file is made).
      ...(options.databaseUrl
        ? {
            DATABASE_URL: options.databaseUrl,
            TELFORM_SECRET_KEY: randomBytes(32).toString('base64'),
          }
        : {}),
    },
    /telform API: (http:\/\/\S+)/,
    // A new data directory: the token file is written after the address is printed.
    ['first admin token written'],
  );
  const token = readFileSync(join(options.dataDir, 'admin-token'), 'utf8').trim();
  return { ...child, token };
}

/** The floor server on the daemon's database (for PGlite: its directory, once it stopped). */
export function startFloorProcess(
  port: number,
  store: { readonly databaseUrl: string } | { readonly dataDir: string },
): Promise<Child> {
  const args = 'databaseUrl' in store ? ['postgres', store.databaseUrl] : ['pglite', store.dataDir];
  return spawnReady(
    ['--import', 'tsx', join(root, 'bench/api-floor-server.ts'), String(port), ...args],
    {},
    /floor: (http:\/\/\S+)/,
  );
}
